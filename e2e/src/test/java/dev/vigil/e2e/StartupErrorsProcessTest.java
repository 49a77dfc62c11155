package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon that cannot start says why in one line on standard error, with the address, file or
 * setting at fault, and no stack trace anywhere: the first thing a user starting three daemons
 * by hand, or reading a crashing pod's log, sees.
 */
class StartupErrorsProcessTest {
  private Path dir;
  private ServerSocket taken;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-startup-");
    taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws IOException {
    taken.close();
    dir.toFile().setWritable(true);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private Path sentinelConf(String... extra) throws IOException {
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n", extra) + "\n"
        + "sentinel monitor mymaster 127.0.0.1 1 2\n");
    return conf;
  }

  private static void assertOneLineNoTrace(DaemonProcess.Run run, String... mentions) {
    String all = run.stdout() + run.stderr();
    assertThat(all).doesNotContain("\tat ").doesNotContain("Exception");
    String[] errLines = run.stderr().strip().split("\n");
    assertThat(errLines).hasSize(1);
    assertThat(errLines[0]).startsWith("vigil: ").contains(mentions);
  }

  @Test
  void sentinelPortInUseNamesAddressPortAndSetting() throws Exception {
    Path conf = sentinelConf("port " + taken.getLocalPort(), "bind 127.0.0.1");
    DaemonProcess.Run run = DaemonProcess.run(Map.of(), "sentinel", conf.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertOneLineNoTrace(run, "127.0.0.1:" + taken.getLocalPort(), "'port'", "VIGIL_PORT");
  }

  @Test
  void httpPortInUseNamesAddressPortAndSetting() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    Path conf = sentinelConf("port " + free, "bind 127.0.0.1");
    DaemonProcess.Run run = DaemonProcess.run(
        Map.of("VIGIL_HTTP_PORT", Integer.toString(taken.getLocalPort())), "sentinel", conf.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertOneLineNoTrace(run, "HTTP", "127.0.0.1:" + taken.getLocalPort(), "'http-port'",
        "VIGIL_HTTP_PORT");
  }

  @Test
  void missingConfigurationFile() throws Exception {
    DaemonProcess.Run run = DaemonProcess.run(Map.of(), "sentinel", dir.resolve("nope.conf").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLineNoTrace(run, "nope.conf");
  }

  @Test
  void unknownSentinelDirectiveNamesFileAndLine() throws Exception {
    Path conf = sentinelConf("port 0", "sentinel frobnicate mymaster 3");
    DaemonProcess.Run run = DaemonProcess.run(Map.of(), "sentinel", conf.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLineNoTrace(run, "sentinel.conf", "frobnicate");
  }

  @Test
  void unwritableStateNamesTheFile() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { port = 0, bind = [\"127.0.0.1\"], state-file = \"state/vigil-state.conf\","
        + " masters { mymaster { host = \"127.0.0.1\", port = 1 } } }\n");
    Path stateDir = Files.createDirectory(dir.resolve("state"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
    DaemonProcess.Run run;
    if (isRoot()) {
      // root writes through permissions: a state path under a regular file cannot be created.
      Files.delete(stateDir);
      Files.writeString(dir.resolve("state"), "not a directory");
    }
    run = DaemonProcess.run(Map.of(), "sentinel", conf.toString());
    assertThat(run.exitCode()).isIn(1, 2);
    assertOneLineNoTrace(run, "vigil-state.conf");
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
