package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A daemon started as users start it: {@code bin/vigil sentinel sentinel.conf}, in its own process. */
final class DaemonProcess implements AutoCloseable {
  /** The repository root: the working directory (benchmark) or its parent (Maven, in e2e/). */
  static final Path ROOT = Files.isExecutable(Path.of("bin/vigil"))
      ? Path.of("").toAbsolutePath() : Path.of(System.getProperty("user.dir")).getParent();

  final int port;
  final Path dir;
  private Process process;
  private final Path conf;

  private DaemonProcess(int port, Path dir, Path conf) {
    this.port = port;
    this.dir = dir;
    this.conf = conf;
  }

  /** A daemon watching group {@code name} with a sentinel.conf (the drop-in path). */
  static DaemonProcess start(String name, String masterHost, int masterPort, int quorum,
      long downAfterMs) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("vigil-e2e-daemon-");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\n"
        + "sentinel monitor " + name + " " + masterHost + " " + masterPort + " " + quorum + "\n"
        + "sentinel down-after-milliseconds " + name + " " + downAfterMs + "\n"
        + "sentinel failover-timeout " + name + " 10000\n");
    DaemonProcess d = new DaemonProcess(port, dir, conf);
    d.launch();
    return d;
  }

  private void launch() throws IOException {
    Path vigil = ROOT.resolve("bin/vigil");
    ProcessBuilder pb = new ProcessBuilder(vigil.toString(), "sentinel", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()));
    pb.environment().put("VIGIL_HTTP_PORT", "0");
    pb.environment().put("VIGIL_JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    process = pb.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("daemon exited at start:\n" + log());
      }
      return answers();
    });
  }

  private boolean answers() {
    try (AdminConnection c = admin()) {
      return "PONG".equals(c.command("PING"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  AdminConnection admin() throws IOException {
    return new AdminConnection("127.0.0.1", port, 2_000);
  }

  /** GET-MASTER-ADDR-BY-NAME, or null when the daemon does not answer. */
  List<Object> masterAddress(String name) {
    return SequenceWriter.masterAddress(port, name);
  }

  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      Path p = dir.resolve("daemon.log");
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temporary
    }
  }
}
