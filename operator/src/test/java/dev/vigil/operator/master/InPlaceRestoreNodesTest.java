package dev.vigil.operator.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.RestoreSource;
import dev.vigil.operator.model.StatefulSetModel;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.testkit.SentinelProcess;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-place restore's node-side steps on real servers: the daemons' view of the hold (a real
 * Sentinel, whose SENTINEL REPLICAS the daemons' port mirrors), the restore-place script (real
 * {@code sh}) over a master's volume that has data and an AOF, the master restarted onto the
 * backup, its replica's full resync, and the checks the operator makes of both.
 */
class InPlaceRestoreNodesTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  private static boolean done(java.util.concurrent.CompletionStage<Boolean> s) throws Exception {
    return s.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void theHoldCountsOnlyOnceTheDaemonsSeeItAndTheRestoredMasterIsFullyResyncedByItsReplica() throws Exception {
    // The backup: another node's RDB.
    ValkeyServer source = servers.start();
    source.command("SET", "restored", "yes");
    source.command("RPUSH", "list", "a", "b", "c");
    source.command("SAVE");
    Path backup = Files.createTempDirectory("restore-");
    Files.copy(source.dir().resolve("dump.rdb"), backup.resolve("dump.rdb"));

    ValkeyServer master = servers.start(ValkeyServer.builder().config("appendonly yes"));
    ValkeyServer replica = servers.start();
    for (int i = 0; i < 100; i++) {
      master.command("SET", "old:" + i, "v");
    }
    replica.replicaOf(master);
    replica.awaitReplicationLinkUp();
    HostPort m = new HostPort(master.host(), master.port());
    HostPort r = new HostPort(replica.host(), replica.port());

    try (RespClient client = new RespClient(1);
        SentinelProcess daemon = SentinelProcess.start("cache", master, 1, 60_000, 180_000)) {
      RespGroupCommands commands = new RespGroupCommands(client);
      List<HostPort> daemons = List.of(new HostPort("127.0.0.1", daemon.port()));
      await().atMost(Duration.ofSeconds(15)).until(() -> ((List<?>) daemon.command("SENTINEL", "REPLICAS", "cache")).size() == 1);
      assertThat(done(commands.holdSeen("cache", daemons, 1))).as("replica at priority 100").isFalse();
      assertThat(done(commands.inSync(m, List.of(r), null))).isTrue();

      // Set on the node, but the daemon reads priorities from its periodic INFO: the hold counts
      // only once it reports it.
      assertThat(done(commands.configSet(r, null, Map.of("replica-priority", "0")))).isTrue();
      await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200))
          .until(() -> done(commands.holdSeen("cache", daemons, 1)));
      assertThat(done(commands.holdSeen("cache", daemons, 2))).as("a replica it does not know of").isFalse();

      // Writes refused (fail fast) while the master is about to be restarted.
      assertThat(done(commands.configSet(m, null, Map.of("min-replicas-to-write", "2")))).isTrue();
      assertThat(setFails(master)).contains("NOREPLICAS");

      // The master's pod restarts: restore-place runs over its volume (RDB, AOF and all).
      assertThat(master.dir().resolve("appendonlydir")).isDirectory();
      master.stop();
      Container place = place();
      assertThat(run(place, master, backup)).contains("restored s3://b/k.rdb");
      assertThat(master.dir().resolve("appendonlydir")).doesNotExist();
      assertThat(Files.readString(master.dir().resolve(".vigil-restored"))).isEqualTo("r1");
      assertThat(Files.readString(master.dir().resolve("valkey.conf"))).endsWith("appendonly no\n");
      master.restart();
      assertThat(master.command("GET", "restored")).isEqualTo("yes");
      assertThat(master.command("DBSIZE")).isEqualTo(2L);

      // The replica keeps its old data until its full resync from the restored master.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> done(commands.inSync(m, List.of(r), null)));
      assertThat(replica.command("GET", "restored")).isEqualTo("yes");
      assertThat(replica.command("DBSIZE")).isEqualTo(2L);
      assertThat(master.info("stats").get("sync_full")).isEqualTo("1");
      assertThat(done(commands.inSync(r, List.of(m), null))).as("the roles the other way round").isFalse();

      // AOF back on, written from memory; a restart of the pod now loads it, not the backup again.
      assertThat(done(commands.configSet(m, null, Map.of("appendonly", "yes")))).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(master.info("persistence").get("aof_rewrite_in_progress"))
          && Files.isDirectory(master.dir().resolve("appendonlydir")));
      master.command("SET", "after", "1");
      master.stop();
      // init-node writes the configuration afresh at each start.
      Path conf = master.dir().resolve("valkey.conf");
      Files.writeString(conf, Files.readString(conf).replaceAll("appendonly no\n$", ""));
      assertThat(run(place, master, backup)).doesNotContain("restored s3://");
      assertThat(Files.readString(conf)).as("AOF exists: nothing appended").endsWith("appendonly yes\n");
      master.restart();
      assertThat(master.command("GET", "after")).isEqualTo("1");
      assertThat(master.command("GET", "restored")).isEqualTo("yes");
    }
  }

  private static String setFails(ValkeyServer node) {
    try {
      node.command("SET", "during", "1");
      return "accepted";
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /** The restore-place init container the operator builds for an in-place restore of pod c-0, id r1. */
  private static Container place() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").build());
    S3Destination d = new S3Destination();
    d.bucket = "b";
    RestoreSource source = new RestoreSource(d, "k.rdb", "vigil-backup:test").inPlace("c-0", "r1");
    return StatefulSetModel.desired(new ModelInput(c, "pw", "c-0", "vigil:test", source)).getSpec().getTemplate()
        .getSpec().getInitContainers().stream().filter(x -> x.getName().equals("restore-place")).findFirst()
        .orElseThrow();
  }

  /** Runs the script with /data as the node's directory (and its config file) and /restore as {@code backup}. */
  private static String run(Container place, ValkeyServer node, Path backup) throws IOException, InterruptedException {
    String script = place.getCommand().get(2)
        .replace("/data/conf/valkey.conf", node.dir().resolve("valkey.conf").toString())
        .replace("/data", node.dir().toString()).replace("/restore", backup.toString());
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
    for (EnvVar e : place.getEnv()) {
      if (e.getValue() != null) {
        pb.environment().put(e.getName(), e.getValue());
      }
    }
    pb.environment().put("POD_NAME", "c-0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
