package dev.vigil.sentinel.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.FreePorts;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group halfway through a migration to TLS only (README, "a compatible path to TLS only"):
 * every node and daemon serves plaintext on its usual port and TLS, with client certificates
 * required, on a second one; the "rolled" ones announce their TLS port, the others their
 * plaintext one. Daemons that list the TLS ports ({@code tls.ports}) dial each address by its
 * port, and point replicas at a master with the {@code tls-replication} its port needs; the group
 * fails over to a node known by its TLS port and every node follows it there. A wrong rule
 * anywhere shows: TLS spoken to a plaintext port, or plaintext to a TLS port, gets no answer.
 */
class TlsMigrationTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @TempDir Path certs;

  /** A node serving plaintext on the kit's port and TLS on {@code tlsPort}. */
  private ValkeyServer node(String name, TlsFiles tls, int tlsPort, boolean announceTls,
      int priority) {
    List<String> lines = new ArrayList<>(List.of("tls-port " + tlsPort,
        "tls-cert-file " + tls.cert(), "tls-key-file " + tls.key(),
        "tls-ca-cert-file " + tls.caCert(), "tls-auth-clients yes", "tls-replication no",
        "replica-priority " + priority));
    if (announceTls) {
      lines.add("replica-announce-port " + tlsPort);
    }
    ValkeyServer s = servers.start(ValkeyServer.builder().name(name).config(lines.toArray(String[]::new)));
    if (!announceTls) {
      // Pinned: without it a replica announces its TLS port once tls-replication is on, and the
      // daemons would know it by two addresses (a switchover to the old one is refused: "not a
      // replica"). The operator's migration shape pins it the same way.
      s.command("CONFIG", "SET", "replica-announce-port", Integer.toString(s.port()));
      s.command("CONFIG", "REWRITE");
    }
    return s;
  }

  /** A daemon on a plaintext and a TLS port that dials the TLS ports over TLS. */
  private SentinelDaemon daemon(ValkeyServer master, TlsFiles tls, int tlsPort, List<Integer> tlsPorts,
      boolean announceTls) {
    // A plaintext port of its own: port 0 with a TLS port would mean TLS only.
    return daemons.start(TestDaemons.hocon("mymaster", master, 2, 500, """
        port = %d
        tls { port = %d, cert-file = "%s", key-file = "%s", ca-cert-file = "%s",
              auth-clients = yes, replication = false, ports = %s }
        %s
        """.formatted(FreePorts.loopback(), tlsPort, tls.cert(), tls.key(), tls.caCert(), tlsPorts,
        announceTls ? "announce-port = " + tlsPort : "")));
  }

  private static Address promoted(List<SentinelDaemon> ds) {
    return ds.get(0).group("mymaster").masterAddress();
  }

  private static boolean follows(ValkeyServer node, int port) {
    var replication = node.info("replication");
    return Integer.toString(port).equals(replication.get("master_port"))
        && "up".equals(replication.get("master_link_status"));
  }

  @Test
  void daemonsDialByPortAndAGroupFailsOverToANodeOnItsTlsPort() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-migration-ca").writeLoopback(certs, "node");
    int masterTls = FreePorts.loopback();
    int rolledTls = FreePorts.loopback();
    int plainTls = FreePorts.loopback();
    ValkeyServer master = node("master", tls, masterTls, false, 100);
    // Rolled: the master lists it by its TLS port, so it is promoted and followed there.
    ValkeyServer rolled = node("rolled", tls, rolledTls, true, 10);
    ValkeyServer notRolled = node("not-rolled", tls, plainTls, false, 100);
    rolled.replicaOf(master);
    notRolled.replicaOf(master);
    rolled.awaitReplicationLinkUp();
    notRolled.awaitReplicationLinkUp();
    master.command("SET", "before", "1");

    List<Integer> daemonTls = List.of(FreePorts.loopback(), FreePorts.loopback(), FreePorts.loopback());
    List<Integer> tlsPorts = Stream.concat(Stream.of(masterTls, rolledTls, plainTls),
        daemonTls.stream()).toList();
    List<SentinelDaemon> ds = new ArrayList<>();
    // The first daemon is rolled too: its peers reach it on its TLS port.
    for (int i = 0; i < 3; i++) {
      ds.add(daemon(master, tls, daemonTls.get(i), tlsPorts, i == 0));
    }
    TestDaemons.awaitVoting(TestDaemons.awaitSettled(ds, "mymaster", 2));
    Address rolledAddress = new Address(rolled.host(), rolledTls);
    assertThat(ds.get(0).group("mymaster").replicas()).as("known as the master lists them")
        .containsKeys(rolledAddress, new Address(notRolled.host(), notRolled.port()));
    for (SentinelDaemon d : ds) {
      assertThat(d.port()).as("plaintext and TLS").isNotEqualTo(d.tlsPort());
      // Each reaches its peers where they announce themselves: the rolled one on its TLS port
      // over TLS, the others on their plaintext ports in plaintext.
      List<Integer> expected = ds.stream().filter(p -> p != d)
          .map(p -> p == ds.get(0) ? p.tlsPort() : p.port()).toList();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        var peers = d.group("mymaster").peers().values();
        return peers.stream().map(p -> p.address().port()).toList().containsAll(expected)
            && peers.stream().allMatch(p -> p.link().connected() && p.link().lastOkReplyAt() > 0);
      });
    }

    master.kill9();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d ->
        d.group("mymaster").masterAddress().equals(rolledAddress)));
    assertThat(rolled.info("replication").get("role")).isEqualTo("master");
    // Re-pointed at the new master's TLS port, with tls-replication set in the same transaction.
    await().atMost(Duration.ofSeconds(15))
        .ignoreException(java.io.UncheckedIOException.class)
        .until(() -> follows(notRolled, rolledTls));
    assertThat(notRolled.command("CONFIG", "GET", "tls-replication"))
        .isEqualTo(List.of("tls-replication", "yes"));
    assertThat(notRolled.command("GET", "before")).isEqualTo("1");

    // The old master comes back on its plaintext port, as master: demoted to follow the new one
    // over TLS.
    master.restart();
    await().atMost(Duration.ofSeconds(15))
        .ignoreException(java.io.UncheckedIOException.class)
        .until(() -> follows(master, rolledTls));
    assertThat(master.command("CONFIG", "GET", "tls-replication"))
        .isEqualTo(List.of("tls-replication", "yes"));
    assertThat(promoted(ds)).isEqualTo(rolledAddress);

    // A restarting pod's init container asks a rolled daemon over TLS and another in plaintext,
    // by the same rule, and writes the tls-replication its node needs.
    Path out = certs.resolve("replication.conf");
    String ports = tlsPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
    TlsGroupTest.Run run = TlsGroupTest.vigil("init-node", "--name", "mymaster",
        "--self", notRolled.host() + ":" + notRolled.port(),
        "--sentinel", "127.0.0.1:" + ds.get(0).tlsPort(), "--sentinel", "127.0.0.1:" + ds.get(1).port(),
        "--bootstrap-master", "127.0.0.1:" + FreePorts.loopback(), "--timeout-ms", "2000",
        "--out", out.toString(), "--tls-ports", ports, "--cacert", tls.caCert().toString(),
        "--cert", tls.cert().toString(), "--key", tls.key().toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).as("both daemons answered").doesNotContain("did not answer");
    assertThat(Files.readAllLines(out)).contains("replicaof " + rolled.host() + " " + rolledTls,
        "tls-replication yes");

    // A coordinated switchover back to a node known by its plaintext port: the master on its TLS
    // port gets tls-replication no before FAILOVER TO, and follows the target in plaintext.
    TestDaemons.awaitPromotable(ds.get(1), "mymaster");
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(1).port(), 10_000)) {
      assertThat(c.command("SENTINEL", "FAILOVER", "mymaster", "COORDINATED")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d ->
        !d.group("mymaster").masterAddress().equals(rolledAddress)));
    int target = promoted(ds).port();
    assertThat(target).isIn(master.port(), notRolled.port());
    await().atMost(Duration.ofSeconds(15))
        .ignoreException(java.io.UncheckedIOException.class)
        .until(() -> follows(rolled, target)
            && follows(target == master.port() ? notRolled : master, target));
    assertThat(rolled.command("CONFIG", "GET", "tls-replication"))
        .isEqualTo(List.of("tls-replication", "no"));
  }
}
