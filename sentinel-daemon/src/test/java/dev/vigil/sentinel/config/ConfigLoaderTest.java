package dev.vigil.sentinel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static final String SENTINEL_CONF = """
      # a file made for valkey-sentinel
      port 26400
      daemonize no
      dir /tmp
      maxmemory 10mb
      sentinel resolve-hostnames yes
      sentinel announce-hostnames yes
      sentinel monitor mymaster valkey-0.valkey 6380 2
      sentinel down-after-milliseconds mymaster 5000
      sentinel failover-timeout mymaster 60000
      sentinel parallel-syncs mymaster 2
      sentinel auth-pass mymaster "s3cret pass"
      sentinel monitor other 127.0.0.1 7000 1
      """;

  private static final String HOCON = """
      vigil {
        port = 26400
        resolve-hostnames = true
        announce-hostnames = true
        masters {
          mymaster { host = "valkey-0.valkey", port = 6380, quorum = 2,
                     down-after-milliseconds = 5000, failover-timeout = 60000,
                     parallel-syncs = 2, auth-pass = "s3cret pass" }
          other { host = "127.0.0.1", port = 7000, quorum = 1 }
        }
      }
      """;

  @Test
  void hoconAndSentinelConfProduceTheSameModel() throws IOException {
    LoadedConfig conf = ConfigLoader.load(write("sentinel.conf", SENTINEL_CONF), Map.of());
    LoadedConfig hocon = ConfigLoader.load(write("vigil.conf", HOCON), Map.of());
    assertThat(conf.config().format()).isEqualTo(DaemonConfig.Format.SENTINEL_CONF);
    assertThat(hocon.config().format()).isEqualTo(DaemonConfig.Format.HOCON);
    assertThat(conf.config().masters()).isEqualTo(hocon.config().masters());
    assertThat(conf.config().port()).isEqualTo(hocon.config().port()).isEqualTo(26400);
    assertThat(conf.config().resolveHostnames()).isTrue();
    assertThat(hocon.config().announceHostnames()).isTrue();
    MasterSpec m = hocon.config().masters().get(0);
    assertThat(m.address()).isEqualTo(new Address("valkey-0.valkey", 6380));
    assertThat(m.downAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(m.authPass()).isEqualTo("s3cret pass");
    assertThat(hocon.config().masters().get(1).failoverTimeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(conf.warnings()).anyMatch(w -> w.contains("'maxmemory' ignored"));
    assertThat(hocon.config().stateFile()).isEqualTo(dir.resolve("vigil-state.conf"));
    assertThat(conf.config().stateFile()).isEqualTo(dir.resolve("sentinel.conf"));
  }

  @Test
  void environmentWinsOverTheFile() throws IOException {
    Map<String, String> env = Map.of("VIGIL_PORT", "26500", "VIGIL_ANNOUNCE_IP", "10.1.2.3",
        "VIGIL_AUTH_PASS", "from-env");
    LoadedConfig conf = ConfigLoader.load(write("sentinel.conf", SENTINEL_CONF), env);
    LoadedConfig hocon = ConfigLoader.load(write("vigil.conf", HOCON), env);
    assertThat(conf.config().port()).isEqualTo(26500);
    assertThat(hocon.config().port()).isEqualTo(26500);
    assertThat(hocon.config().announceIp()).isEqualTo("10.1.2.3");
    assertThat(hocon.config().masters().get(1).authPass()).isEqualTo("from-env");
  }

  @Test
  void sentinelConfStateLinesAreTheStartingState() throws IOException {
    Path p = write("sentinel.conf", SENTINEL_CONF + """
        sentinel myid 0123456789abcdef0123456789abcdef01234567
        sentinel current-epoch 7
        sentinel config-epoch mymaster 5
        sentinel leader-epoch mymaster 6
        sentinel known-replica mymaster valkey-1.valkey 6380
        sentinel known-sentinel mymaster 10.0.0.9 26379 fedcba9876543210fedcba9876543210fedcba98
        sentinel known-sentinel mymaster 10.0.0.8 26379
        """);
    LoadedConfig conf = ConfigLoader.load(p, Map.of());
    assertThat(conf.state().myId()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(conf.state().currentEpoch()).isEqualTo(7);
    var g = conf.state().groups().get("mymaster");
    assertThat(g.configEpoch()).isEqualTo(5);
    assertThat(g.leaderEpoch()).isEqualTo(6);
    assertThat(g.knownReplicas()).containsExactly(new Address("valkey-1.valkey", 6380));
    assertThat(g.knownSentinels()).hasSize(1);
    assertThat(conf.warnings()).anyMatch(w -> w.contains("without a run id"));
    assertThat(conf.state().groups().get("other").configEpoch()).isZero();
    assertThat(conf.freshIdentity()).isFalse();
    assertThat(ConfigLoader.load(write("plain.conf", SENTINEL_CONF), Map.of()).freshIdentity())
        .as("no myid line: a new identity that must sit out elections for a while").isTrue();
  }

  @Test
  void failoverTunablesHaveDocumentedDefaultsAndCanBeSet() throws IOException {
    LoadedConfig defaults = ConfigLoader.load(write("d.conf", HOCON), Map.of());
    assertThat(defaults.config().failover()).isEqualTo(FailoverTuning.DEFAULT);
    LoadedConfig set = ConfigLoader.load(write("s.conf", HOCON
        + "vigil.failover { retry-min = 200ms, retry-max = 3s, fresh-identity-quarantine = 0 }\n"),
        Map.of());
    assertThat(set.config().failover().retryMinMs()).isEqualTo(200);
    assertThat(set.config().failover().retryMaxMs()).isEqualTo(3_000);
    assertThat(set.config().failover().freshIdentityQuarantineMs()).isZero();
    assertThatThrownBy(() -> ConfigLoader.load(write("bad.conf", HOCON
        + "vigil.failover { retry-min = 2s, retry-max = 1s }\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retry-min <= retry-max");
  }

  @Test
  void thePeerListComesFromEitherSyntaxAndABadEntryNamesItsKey() throws IOException {
    java.util.List<Address> three = java.util.List.of(new Address("10.0.0.1", 26379),
        new Address("valkey-1.vigil", 26379), new Address("::1", 26381));
    assertThat(ConfigLoader.load(write("d.conf", HOCON), Map.of()).config().failover().peers())
        .isEmpty();
    LoadedConfig hocon = ConfigLoader.load(write("p.conf", HOCON + "vigil.failover.peers = "
        + "[\"10.0.0.1:26379\", \"valkey-1.vigil:26379\", \"[::1]:26381\"]\n"), Map.of());
    assertThat(hocon.config().failover().peers()).containsExactlyElementsOf(three);
    LoadedConfig conf = ConfigLoader.load(write("p-sentinel.conf", SENTINEL_CONF
        + "sentinel vigil-peer 10.0.0.1 26379\nsentinel vigil-peer valkey-1.vigil 26379\n"
        + "sentinel vigil-peer ::1 26381\n"), Map.of());
    assertThat(conf.config().failover().peers()).containsExactlyElementsOf(three);

    assertThatThrownBy(() -> ConfigLoader.load(write("bad1.conf", HOCON
        + "vigil.failover.peers = [\"10.0.0.1\"]\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.failover.peers")
        .hasMessageContaining("expected HOST:PORT, got '10.0.0.1'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> ConfigLoader.load(write("bad2.conf", HOCON
        + "vigil.failover.peers = [\"10.0.0.1:x\"]\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.failover.peers")
        .hasMessageContaining("invalid port 'x'");
    assertThatThrownBy(() -> ConfigLoader.load(write("bad3.conf",
        "sentinel monitor m 1.2.3.4 1 1\nsentinel vigil-peer 10.0.0.1 0\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bad3.conf:2")
        .hasMessageContaining("sentinel vigil-peer: invalid port 0");
    assertThatThrownBy(() -> ConfigLoader.load(write("bad4.conf",
        "sentinel monitor m 1.2.3.4 1 1\nsentinel vigil-peer 10.0.0.1\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil-peer needs HOST PORT");
    assertThatThrownBy(() -> ConfigLoader.load(write("bad5.conf",
        "sentinel monitor m 1.2.3.4 1 1\nsentinel vigil-peer vigil-0 26379\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.failover.peers")
        .hasMessageContaining("set resolve-hostnames");
  }

  @Test
  void freshStateGetsANewIdentity() throws IOException {
    LoadedConfig a = ConfigLoader.load(write("a.conf", HOCON), Map.of());
    assertThat(a.state().myId()).matches("[0-9a-f]{40}");
    assertThat(a.state().currentEpoch()).isZero();
    assertThat(a.state().groups()).containsKeys("mymaster", "other");
  }

  @Test
  void errorsNameTheFileAndLine() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(write("s1.conf", "port 1\nsentinel monitr m 1.2.3.4 1 1\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s1.conf:2")
        .hasMessageContaining("Unrecognized sentinel configuration statement 'monitr'");
    assertThatThrownBy(() -> ConfigLoader.load(write("s2.conf", "sentinel monitor m 1.2.3.4 1 0\n")))
        .hasMessageContaining("s2.conf:1").hasMessageContaining("Quorum must be 1 or greater");
    assertThatThrownBy(() -> ConfigLoader.load(write("s3.conf", "sentinel down-after-milliseconds m 5\n")))
        .hasMessageContaining("No such master");
    assertThatThrownBy(() -> ConfigLoader.load(write("s4.conf",
        "sentinel monitor m 1.2.3.4 1 1\nsentinel monitor m 1.2.3.4 2 1\n")))
        .hasMessageContaining("Duplicate master name");
    assertThatThrownBy(() -> ConfigLoader.load(write("s5.conf", "sentinel monitor m 1.2.3.4 x 1\n")))
        .hasMessageContaining("invalid port 'x'");
    assertThatThrownBy(() -> ConfigLoader.load(write("h.conf", "vigil { masters { m { port = 1 } } }")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("host");
    assertThatThrownBy(() -> ConfigLoader.load(write("s6.conf", "sentinel monitor m valkey-0 6379 1\n")))
        .hasMessageContaining("Can't resolve instance hostname 'valkey-0'");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.conf")))
        .hasMessageContaining("cannot read configuration file");
  }

  @Test
  void corruptStateFileIsAClearError() throws IOException {
    Path conf = write("vigil.conf", HOCON);
    write("vigil-state.conf", "sentinel myid nothex\n");
    assertThatThrownBy(() -> ConfigLoader.load(conf, Map.of()))
        .hasMessageContaining("vigil-state.conf:1").hasMessageContaining("Malformed Sentinel id");
    write("vigil-state.conf", "garbage here\n");
    assertThatThrownBy(() -> ConfigLoader.load(conf, Map.of()))
        .hasMessageContaining("is corrupt");
  }
}
