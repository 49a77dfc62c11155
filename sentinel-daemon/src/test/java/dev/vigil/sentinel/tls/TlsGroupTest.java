package dev.vigil.sentinel.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.cli.VigilCli;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentinelPool;

/**
 * A TLS-only group (port 0, tls-port, tls-replication, client certificates required) watched by
 * three daemons that listen on TLS only and reach the nodes and each other over mutual TLS.
 */
class TlsGroupTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @TempDir Path certs;

  static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }

  /** HOCON for a TLS-only daemon watching the group (extra keys in the tls block). */
  static String hocon(ValkeyServer master, TlsFiles tls, String extraTls) throws IOException {
    return TestDaemons.hocon("mymaster", master, 2, 500, """
        tls { port = %d, cert-file = "%s", key-file = "%s", ca-cert-file = "%s",
              replication = true, auth-clients = yes %s }
        """.formatted(freePort(), tls.cert(), tls.key(), tls.caCert(), extraTls));
  }

  /** The same daemon as a Valkey sentinel.conf (Sentinel's own directives, unchanged). */
  static String sentinelConf(ValkeyServer master, TlsFiles tls) throws IOException {
    return """
        port 0
        bind 127.0.0.1
        tls-port %d
        tls-cert-file %s
        tls-key-file %s
        tls-ca-cert-file %s
        tls-replication yes
        tls-auth-clients yes
        sentinel monitor mymaster %s %d 2
        sentinel down-after-milliseconds mymaster 500
        sentinel failover-timeout mymaster 10000
        """.formatted(freePort(), tls.cert(), tls.key(), tls.caCert(), master.host(),
        master.port());
  }

  record Run(int code, String out, String err) {}

  static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new VigilCli());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * A node's init container asks the daemons of a TLS-only group over TLS, with the pod's own
   * certificate; without TLS it reaches none of them and falls back to the bootstrap master,
   * which after a failover names the wrong node.
   */
  @Test
  void initNodeAsksTlsOnlyDaemonsOverTls() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-test-ca").writeLoopback(certs, "node");
    List<ValkeyServer> group = servers.startGroup(1, tls);
    ValkeyServer master = group.get(0);
    ValkeyServer replica = group.get(1);
    SentinelDaemon d = daemons.start(hocon(master, tls, ""));
    TestDaemons.awaitSettled(List.of(d), "mymaster", 1);
    Path out = certs.resolve("replication.conf");
    String stale = "127.0.0.1:" + freePort();
    String[] base = {"init-node", "--name", "mymaster", "--self", replica.host() + ":" + replica.port(),
        "--sentinel", "127.0.0.1:" + d.tlsPort(), "--bootstrap-master", stale,
        "--timeout-ms", "1000", "--out", out.toString()};

    Run plain = vigil(base);
    assertThat(plain.code()).isZero();
    assertThat(java.nio.file.Files.readAllLines(out)).as("no daemon answers in plaintext")
        .contains("replicaof 127.0.0.1 " + stale.substring(stale.indexOf(':') + 1));

    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(List.of("--tls", "--cacert", tls.caCert().toString(), "--cert",
        tls.cert().toString(), "--key", tls.key().toString()));
    Run overTls = vigil(args.toArray(String[]::new));
    assertThat(overTls.code()).as(overTls.out() + overTls.err()).isZero();
    assertThat(java.nio.file.Files.readAllLines(out)).as("the daemon's master, not the bootstrap")
        .contains("replicaof " + master.host() + " " + master.port());
  }

  @Test
  void aTlsOnlyGroupFailsOverWithMutualTlsOnEveryLink() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-test-ca").writeLoopback(certs, "node");
    List<ValkeyServer> group = servers.startGroup(2, tls);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = new ArrayList<>();
    ds.add(daemons.start(hocon(master, tls, "")));
    ds.add(daemons.start(hocon(master, tls, "")));
    ds.add(daemons.start(sentinelConf(master, tls), "sentinel.conf", Map.of()));
    TestDaemons.awaitSettled(ds, "mymaster", 2);
    for (SentinelDaemon d : ds) {
      assertThat(d.tlsPort()).isPositive();
      assertThat(d.port()).as("TLS only: no plaintext listener").isEqualTo(d.tlsPort());
    }

    // Plaintext spoken to the TLS-only port gets no answer.
    assertThatThrownBy(() -> {
      try (AdminConnection plain = new AdminConnection("127.0.0.1", ds.get(0).tlsPort(), 2_000)) {
        plain.command("PING");
      }
    }).isInstanceOf(IOException.class);
    // Mutual TLS: a client without a certificate is refused.
    assertThatThrownBy(() -> {
      try (AdminConnection anonymous = new AdminConnection("127.0.0.1", ds.get(0).tlsPort(),
          2_000, tls.anonymousContext().getSocketFactory())) {
        anonymous.command("PING");
      }
    }).isInstanceOf(IOException.class);
    // With one, the Sentinel protocol works as in plaintext.
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(0).tlsPort(), 2_000,
        tls.clientContext().getSocketFactory())) {
      assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
          .isEqualTo(List.of(master.host(), Integer.toString(master.port())));
    }

    String sentinels = ds.stream().map(d -> "127.0.0.1:" + d.tlsPort())
        .collect(Collectors.joining(","));
    Run status = vigil("status", "-s", sentinels, "--tls", "--cacert", tls.caCert().toString(),
        "--cert", tls.cert().toString(), "--key", tls.key().toString());
    assertThat(status.code()).as(status.out() + status.err()).isZero();
    assertThat(status.out()).contains("mymaster", master.address());

    JedisClientConfig jedisTls = DefaultJedisClientConfig.builder().ssl(true)
        .sslSocketFactory(tls.clientContext().getSocketFactory()).build();
    Set<HostAndPort> sentinelSet = ds.stream().map(d -> new HostAndPort("127.0.0.1", d.tlsPort()))
        .collect(Collectors.toSet());
    try (JedisSentinelPool pool = new JedisSentinelPool("mymaster", sentinelSet, jedisTls,
        jedisTls)) {
      try (Jedis j = pool.getResource()) {
        j.set("before", "1");
        assertThat(j.waitReplicas(2, 5_000)).isEqualTo(2L);
      }
      master.kill9();
      await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d ->
          !d.group("mymaster").masterAddress().equals(new Address(master.host(), master.port()))));
      Address promoted = ds.get(0).group("mymaster").masterAddress();
      assertThat(ds).allMatch(d -> d.group("mymaster").masterAddress().equals(promoted));
      // Jedis hears +switch-master from the daemons over TLS and follows it.
      await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
          pool.getCurrentHostMaster().getPort() == promoted.port());
      try (Jedis j = pool.getResource()) {
        assertThat(j.get("before")).isEqualTo("1");
        assertThat(j.set("after", "1")).isEqualTo("OK");
      }
    }
    ValkeyServer other = group.stream()
        .filter(s -> s != master && s.port() != promoted(ds).port()).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(15))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        Integer.toString(promoted(ds).port()).equals(other.info("replication").get("master_port"))
            && "up".equals(other.info("replication").get("master_link_status")));
  }

  /**
   * The README's minimal ACL rule set for the daemon's Valkey user. (Without +client|pause and
   * +client|unpause, as the README had it, a fenced old master was never demoted: the REPLICAOF
   * transaction that unpauses it was aborted, at every retry.)
   */
  static final String DAEMON_ACL = "user vigil on >vigil-pass resetchannels &__sentinel__:hello "
      + "-@all +hello +auth +ping +info +subscribe +publish +multi +exec +replicaof "
      + "+config|rewrite +client|setname +client|kill +client|pause +client|unpause +failover";

  @Test
  void theMinimalAclUserIsEnoughForDiscoveryAndFailoverOverTls() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-test-ca").writeLoopback(certs, "node");
    List<ValkeyServer> group = new ArrayList<>();
    ValkeyServer master = servers.start(ValkeyServer.builder().name("master").tls(tls)
        .config(DAEMON_ACL));
    group.add(master);
    for (int i = 1; i <= 2; i++) {
      ValkeyServer r = servers.start(ValkeyServer.builder().name("replica" + i).tls(tls)
          .config(DAEMON_ACL));
      r.replicaOf(master);
      group.add(r);
    }
    group.subList(1, 3).forEach(ValkeyServer::awaitReplicationLinkUp);
    String auth = "masters { mymaster { auth-user = vigil, auth-pass = vigil-pass } }";
    List<SentinelDaemon> ds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ds.add(daemons.start(hocon(master, tls, "") + "vigil { " + auth + " }\n"));
    }
    TestDaemons.awaitSettled(ds, "mymaster", 2);
    master.kill9();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d ->
        !d.group("mymaster").masterAddress().equals(new Address(master.host(), master.port()))));
    ValkeyServer other = group.stream()
        .filter(s -> s != master && s.port() != promoted(ds).port()).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(15))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        Integer.toString(promoted(ds).port()).equals(other.info("replication").get("master_port"))
            && "up".equals(other.info("replication").get("master_link_status")));
    // A forced failover with the master alive: it is fenced (CLIENT PAUSE WRITE), then demoted
    // and unpaused in one transaction (REPLICAOF, CLIENT UNPAUSE).
    TestDaemons.awaitVoting(ds);
    // The daemon asked must see a replica it may promote: the one just re-pointed is fit only once
    // its INFO, as the daemon last read it, shows the link to the new master up.
    TestDaemons.awaitPromotable(ds.get(0), "mymaster");
    Address before = promoted(ds);
    ValkeyServer oldMaster = group.stream().filter(s -> s.port() == before.port())
        .findFirst().orElseThrow();
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(0).tlsPort(), 10_000,
        tls.clientContext().getSocketFactory())) {
      assertThat(c.command("SENTINEL", "FAILOVER", "mymaster")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d ->
        !d.group("mymaster").masterAddress().equals(before)));
    await().atMost(Duration.ofSeconds(15))
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        Integer.toString(promoted(ds).port()).equals(oldMaster.info("replication").get("master_port"))
            && "up".equals(oldMaster.info("replication").get("master_link_status")));
    // Nothing the daemon sent was refused by the ACL.
    for (ValkeyServer s : group.subList(1, 3)) {
      assertThat((List<?>) s.command("ACL", "LOG")).as(s.name()).isEmpty();
    }
  }

  private static Address promoted(List<SentinelDaemon> ds) {
    return ds.get(0).group("mymaster").masterAddress();
  }
}
