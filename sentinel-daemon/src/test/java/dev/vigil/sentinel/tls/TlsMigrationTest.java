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

  /** A pod of the walk: its node, its daemon's ports and configuration file. */
  private static final class Pod {
    final ValkeyServer node;
    final int nodeTls;
    final int daemonPlain = FreePorts.loopback();
    final int daemonTls = FreePorts.loopback();
    final Path conf;
    SentinelDaemon daemon;

    Pod(ValkeyServer node, int nodeTls, Path conf) {
      this.node = node;
      this.nodeTls = nodeTls;
      this.conf = conf;
    }

    Address tlsAddress() {
      return new Address(node.host(), nodeTls);
    }

    Address plainAddress() {
      return new Address(node.host(), node.port());
    }
  }

  /** The daemon of a pod in a phase: links by port (optionally announcing TLS), or TLS only. */
  private void configure(Pod p, ValkeyServer master, TlsFiles tls, List<Integer> tlsPorts, String phase)
      throws Exception {
    String links = switch (phase) {
      case "links-by-port" -> "port = " + p.daemonPlain + "\n tls { port = " + p.daemonTls + ", replication = false, "
          + "ports = " + tlsPorts + ", %s }";
      case "tls-addresses" -> "port = " + p.daemonPlain + "\n announce-port = " + p.daemonTls + "\n tls { port = "
          + p.daemonTls + ", replication = false, ports = " + tlsPorts + ", %s }";
      default -> "port = 0\n tls { port = " + p.daemonTls + ", replication = true, %s }";
    };
    String material = "cert-file = \"%s\", key-file = \"%s\", ca-cert-file = \"%s\", auth-clients = yes"
        .formatted(tls.cert(), tls.key(), tls.caCert());
    // TestDaemons.hocon's own port = 0 is overridden by the later line of the same block.
    Files.writeString(p.conf, TestDaemons.hocon("mymaster", master, 2, 500, links.formatted(material)
        + "\n state-file = \"" + p.conf.resolveSibling("state.conf") + "\""));
  }

  private void restartDaemon(Pod p) {
    daemons.stop(p.daemon);
    p.daemon = daemons.startAt(p.conf, java.util.Map.of());
  }

  /** As a pod of the next phase restarts its node: announcing its TLS port from now on. */
  private static void announceTls(Pod p) {
    p.node.command("CONFIG", "SET", "replica-announce-port", Integer.toString(p.nodeTls));
    p.node.command("CONFIG", "REWRITE");
    p.node.stop();
    p.node.restart();
  }

  /** A command on a node's TLS port (the nodes here have no password). */
  private static Object tlsCommand(Pod p, TlsFiles tls, String... args) throws java.io.IOException {
    try (AdminConnection c = new AdminConnection(p.node.host(), p.nodeTls, 5_000,
        tls.clientContext().getSocketFactory())) {
      return c.command(args);
    }
  }

  /**
   * The operator's migration phases, as the pods run them, with real nodes and daemons: links by
   * port, then each pod restarted announcing its TLS ports (replicas, a coordinated switchover,
   * the old master), then the plaintext ports closed and the daemons TLS only, then a failover.
   * A node that moved its announced port is forgotten at the old one as soon as it answers there
   * with its new run id, and no write is lost on the way.
   */
  @Test
  void aGroupWalksFromPlaintextAddressesToTlsOnlyForgettingEachNodesOldAddress() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-walk-ca").writeLoopback(certs, "node");
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int nodeTls = FreePorts.loopback();
      pods.add(new Pod(node("node-" + i, tls, nodeTls, false, 100), nodeTls,
          Files.createDirectories(certs.resolve("pod-" + i)).resolve("vigil.conf")));
    }
    ValkeyServer first = pods.get(0).node;
    for (Pod p : pods.subList(1, 3)) {
      p.node.replicaOf(first);
      p.node.awaitReplicationLinkUp();
    }
    List<Integer> tlsPorts = pods.stream().flatMap(p -> Stream.of(p.nodeTls, p.daemonTls)).toList();
    for (Pod p : pods) {
      configure(p, first, tls, tlsPorts, "links-by-port");
      p.daemon = daemons.startAt(p.conf, java.util.Map.of());
    }
    java.util.function.Supplier<List<SentinelDaemon>> ds = () -> pods.stream().map(p -> p.daemon).toList();
    TestDaemons.awaitVoting(TestDaemons.awaitSettled(ds.get(), "mymaster", 2));
    first.command("SET", "phase-1", "links-by-port");

    // Phase 2, replicas first: node and daemon of each pod announce their TLS ports.
    for (Pod p : pods.subList(1, 3)) {
      announceTls(p);
      configure(p, first, tls, tlsPorts, "tls-addresses");
      restartDaemon(p);
      await().atMost(Duration.ofSeconds(20)).until(() -> ds.get().stream().allMatch(d -> {
        var replicas = d.group("mymaster").replicas().keySet();
        return replicas.contains(p.tlsAddress()) && !replicas.contains(p.plainAddress());
      }));
    }
    TestDaemons.awaitPromotable(pods.get(1).daemon, "mymaster");
    try (AdminConnection c = new AdminConnection("127.0.0.1", pods.get(1).daemon.port(), 10_000)) {
      assertThat(c.command("SENTINEL", "FAILOVER", "mymaster", "COORDINATED")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.get().stream().allMatch(d ->
        List.of(pods.get(1).tlsAddress(), pods.get(2).tlsAddress()).contains(d.group("mymaster").masterAddress())));
    Address promoted = ds.get().get(0).group("mymaster").masterAddress();
    await().atMost(Duration.ofSeconds(15)).ignoreException(java.io.UncheckedIOException.class)
        .until(() -> follows(first, promoted.port()));
    assertThat(first.command("CONFIG", "GET", "tls-replication")).isEqualTo(List.of("tls-replication", "yes"));
    Pod old = pods.get(0);
    announceTls(old);
    configure(old, first, tls, tlsPorts, "tls-addresses");
    restartDaemon(old);
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.get().stream().allMatch(d -> {
      var g = d.group("mymaster");
      return g.replicas().keySet().equals(pods.stream().map(Pod::tlsAddress)
          .filter(a -> !a.equals(promoted)).collect(Collectors.toSet()))
          && g.peers().values().stream().allMatch(x -> tlsPorts.contains(x.address().port()));
    }));
    Pod master = pods.stream().filter(p -> p.tlsAddress().equals(promoted)).findFirst().orElseThrow();
    assertThat(tlsCommand(master, tls, "SET", "phase-2", "tls-addresses")).isEqualTo("OK");

    // Phase 3: the plaintext ports close and the daemons become TLS only.
    for (Pod p : pods) {
      assertThat(tlsCommand(p, tls, "CONFIG", "SET", "port", "0")).isEqualTo("OK");
      configure(p, first, tls, tlsPorts, "on");
      restartDaemon(p);
    }
    for (Pod p : pods) {
      assertThat(p.daemon.port()).as("TLS only").isEqualTo(p.daemon.tlsPort());
    }
    TestDaemons.awaitVoting(TestDaemons.awaitSettled(ds.get(), "mymaster", 2));

    // A failover among TLS addresses only, losing nothing written on the way: the last write
    // acknowledged by both replicas just before the master dies included.
    try (AdminConnection c = new AdminConnection(master.node.host(), master.nodeTls, 5_000,
        tls.clientContext().getSocketFactory())) {
      assertThat(c.command("SET", "phase-3", "on")).isEqualTo("OK");
      assertThat(c.command("WAIT", "2", "5000")).isEqualTo(2L);
    }
    master.node.kill9();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.get().stream().allMatch(d -> {
      Address a = d.group("mymaster").masterAddress();
      return !a.equals(promoted) && tlsPorts.contains(a.port());
    }));
    Address last = ds.get().get(0).group("mymaster").masterAddress();
    Pod now = pods.stream().filter(p -> p.tlsAddress().equals(last)).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).ignoreException(RuntimeException.class)
        .until(() -> "tls-addresses".equals(tlsCommand(now, tls, "GET", "phase-2")));
    assertThat(tlsCommand(now, tls, "GET", "phase-1")).isEqualTo("links-by-port");
    assertThat(tlsCommand(now, tls, "GET", "phase-3")).isEqualTo("on");
  }
}
