package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.testkit.FreePorts;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence behind {@link TlsMode#compatibleWith}: real redis-server processes configured with
 * the port and tls-* lines of the ConfigMap's valkey.conf in each shape, each replica told to
 * follow each master at the one address the daemons know a master by (spec.port, whatever the
 * shape). A replica follows exactly the masters of a compatible shape; otherwise its attempts
 * fail and it retries, never linking.
 */
class TlsModeReplicationTest {
  private static final String PASSWORD = "secret";
  /**
   * The shapes a spec asks for. A migration's phases leave tls-replication to whoever points a
   * node at a master (by the master's port), so a fixed line cannot show them: the daemon module's
   * TlsMigrationTest runs a group whose nodes and daemons straddle them.
   */
  private static final List<TlsMode> SPEC_SHAPES = List.of(TlsMode.OFF, TlsMode.MIGRATION, TlsMode.ON);
  /** Logged at each attempt to link to the master, the first and every retry after a failure. */
  private static final String SYNC_STARTED = "MASTER <-> REPLICA sync started";
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  private static ValkeyCluster cluster(TlsMode mode) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").build());
    c.getSpec().tls.enabled = mode != TlsMode.OFF;
    c.getSpec().tls.plaintext = mode == TlsMode.MIGRATION;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    return c;
  }

  /**
   * A node of {@code mode}: the ConfigMap's lines with the pod's /etc/tls files moved to the
   * test's and its ports to free loopback ones. spec.port is the kit's port, which serves
   * plaintext (off, migration) or TLS (on) as the model says.
   */
  private ValkeyServer node(TlsMode mode, String name, TlsFiles files) {
    ValkeyCluster c = cluster(mode);
    String conf = ConfigMapModel.valkeyConf(new ModelInput(c, PASSWORD, null, "vigil:test"));
    List<String> lines = new ArrayList<>();
    for (String l : conf.lines().filter(l -> l.startsWith("tls-")).toList()) {
      if (l.equals("tls-port " + c.getSpec().port)) {
        continue;
      }
      lines.add(l.replace("tls-port " + c.getSpec().tls.port, "tls-port " + FreePorts.loopback())
          .replace(TlsParts.CERT_FILE, files.cert().toString()).replace(TlsParts.KEY_FILE, files.key().toString())
          .replace(TlsParts.CA_FILE, files.caCert().toString()));
    }
    // Each attempt that gets no answer gives up within seconds, not the default minute.
    lines.add("repl-timeout 3");
    ValkeyServer.Builder b = ValkeyServer.builder().name(name).password(PASSWORD);
    switch (mode) {
      case OFF -> assertThat(conf).contains("port " + c.getSpec().port + "\n").doesNotContain("tls-");
      case MIGRATION -> assertThat(conf).contains("port " + c.getSpec().port + "\n",
          "tls-port " + c.getSpec().tls.port + "\n", "tls-replication no\n");
      case ON -> {
        assertThat(conf).contains("port 0\n", "tls-port " + c.getSpec().port + "\n", "tls-replication yes\n");
        b.tls(files);
      }
      default -> throw new IllegalArgumentException("a spec never asks for " + mode);
    }
    return servers.start(b.config(lines.toArray(String[]::new)));
  }

  private static String log(ValkeyServer s) {
    try {
      return Files.readString(s.dir().resolve("server.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aReplicaFollowsAMasterOfACompatibleShapeAndNoOther() {
    TlsFiles files = TestCertificates.authority("group-ca").writeLoopback(dir, "node");
    Map<TlsMode, ValkeyServer> masters = new EnumMap<>(TlsMode.class);
    Map<TlsMode, ValkeyServer> replicas = new EnumMap<>(TlsMode.class);
    for (TlsMode m : SPEC_SHAPES) {
      masters.put(m, node(m, "master-" + m.label(), files));
      replicas.put(m, node(m, "replica-" + m.label(), files));
    }
    for (TlsMode master : SPEC_SHAPES) {
      ValkeyServer mNode = masters.get(master);
      mNode.command("SET", "written-on", master.label());
      for (TlsMode replica : SPEC_SHAPES) {
        ValkeyServer r = replicas.get(replica);
        int attemptsBefore = count(log(r), SYNC_STARTED);
        r.command("REPLICAOF", mNode.host(), Integer.toString(mNode.port()));
        if (replica.compatibleWith(master)) {
          r.awaitReplicationLinkUp();
          await().atMost(Duration.ofSeconds(10))
              .until(() -> master.label().equals(r.command("GET", "written-on")));
        } else {
          // A second attempt is logged only after the first failed: the failure is seen, not timed.
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
              .until(() -> count(log(r), SYNC_STARTED) >= attemptsBefore + 2);
          assertThat(r.info("replication").get("master_link_status"))
              .as("%s replica of %s master; log:%n%s", replica, master, log(r)).isEqualTo("down");
        }
      }
      for (ValkeyServer r : replicas.values()) {
        r.replicaOfNoOne();
      }
    }
  }
}
