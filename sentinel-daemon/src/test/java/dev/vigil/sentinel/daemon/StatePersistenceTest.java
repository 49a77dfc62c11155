package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.ConfigException;
import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Run id, epochs and known peers survive a restart; a state file that cannot be written stops the start. */
class StatePersistenceTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @TempDir Path dir;

  @Test
  void stateSurvivesARestartInBothFormats() throws Exception {
    ValkeyServer master = servers.startGroup(1).get(0);
    Path hocon = dir.resolve("vigil.conf");
    Files.writeString(hocon, TestDaemons.hocon("mymaster", master, 1, 1_000, ""));
    Path conf = dir.resolve("sentinel.conf");
    String original = "# my own comment, kept\nport 0\nbind 127.0.0.1\n"
        + "sentinel monitor mymaster " + master.host() + " " + master.port() + " 1\n"
        + "sentinel down-after-milliseconds mymaster 1000\n";
    Files.writeString(conf, original);
    Map<String, String> env = Map.of("VIGIL_HTTP_PORT", "0");
    SentinelDaemon a = daemons.startAt(hocon, env);
    SentinelDaemon b = daemons.startAt(conf, env);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.group("mymaster").peers().size() == 1
        && b.group("mymaster").peers().size() == 1 && b.group("mymaster").replicas().size() == 1);
    try (AdminConnection c = new AdminConnection("127.0.0.1", a.port(), 2_000)) {
      // A peer's hello with a higher epoch raises ours, persisted before anything else happens.
      c.command("PUBLISH", "__sentinel__:hello", "127.0.0.1,1,"
          + "f".repeat(40) + ",7,mymaster," + master.host() + "," + master.port() + ",0");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> a.currentEpoch() == 7);
    String idA = a.myId();
    String idB = b.myId();
    daemons.stop(a);
    daemons.stop(b);

    assertThat(Files.readString(conf)).startsWith(original.strip())
        .contains("sentinel myid " + idB, "sentinel known-sentinel mymaster 127.0.0.1");
    SentinelDaemon a2 = daemons.startAt(hocon, env);
    SentinelDaemon b2 = daemons.startAt(conf, env);
    assertThat(a2.myId()).isEqualTo(idA);
    assertThat(a2.currentEpoch()).isEqualTo(7);
    assertThat(a2.group("mymaster").peers()).containsKeys(idB, "f".repeat(40));
    assertThat(b2.myId()).isEqualTo(idB);
    assertThat(b2.group("mymaster").peers()).containsKey(idA);
    assertThat(b2.group("mymaster").replicas()).hasSize(1);
  }

  @Test
  void configSetIsValidatedAllOrNothingAndWrittenBackIntoSentinelConf() throws Exception {
    ValkeyServer master = servers.start();
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port 0\nbind 127.0.0.1\nsentinel announce-ip 10.0.0.1\n"
        + "sentinel monitor mymaster " + master.host() + " " + master.port() + " 1\n");
    SentinelDaemon d = daemons.startAt(conf, Map.of("VIGIL_HTTP_PORT", "0"));
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThatThrownBy(() -> c.command("SENTINEL", "CONFIG", "SET", "announce-ip", "10.9.9.9",
          "announce-port", "x")).hasMessage("ERR Invalid value 'x' to SENTINEL CONFIG SET 'announce-port'");
      assertThatThrownBy(() -> c.command("SENTINEL", "CONFIG", "SET", "nope", "1"))
          .hasMessage("ERR Invalid argument 'nope' to SENTINEL CONFIG SET");
      assertThat(c.command("SENTINEL", "CONFIG", "GET", "announce-ip"))
          .isEqualTo(java.util.List.of("announce-ip", "10.0.0.1"));
      assertThat(c.command("SENTINEL", "CONFIG", "SET", "announce-ip", "10.9.9.9",
          "announce-port", "26999")).isEqualTo("OK");
      assertThat(c.command("SENTINEL", "CONFIG", "GET", "announce-*"))
          .isEqualTo(java.util.List.of("announce-hostnames", "no", "announce-ip", "10.9.9.9",
              "announce-port", "26999"));
    }
    String rewritten = Files.readString(conf);
    assertThat(rewritten).startsWith("port 0\nbind 127.0.0.1\nsentinel announce-ip 10.9.9.9\n")
        .contains("sentinel announce-port 26999").doesNotContain("10.0.0.1");
  }

  @Test
  void anUnwritableStateFileStopsTheStartWithAClearError() throws Exception {
    ValkeyServer master = servers.start();
    Files.writeString(dir.resolve("not-a-dir"), "a file");
    Path hocon = dir.resolve("vigil.conf");
    Files.writeString(hocon, TestDaemons.hocon("mymaster", master, 1, 1_000,
        "state-file = \"not-a-dir/state.conf\""));
    SentinelDaemon d = new SentinelDaemon(ConfigLoader.load(hocon, Map.of()), Clock.MONOTONIC);
    try {
      assertThatThrownBy(d::start).isInstanceOf(ConfigException.class)
          .hasMessageContaining("cannot write state file")
          .hasMessageContaining("not-a-dir/state.conf");
    } finally {
      d.close();
    }
  }
}
