package dev.vigil.backup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.backup.cli.BackupCli;
import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backups of real servers into a real S3 API, restored into fresh servers. */
class BackupRestoreTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final S3Fixture s3 = new S3Fixture();
  @TempDir Path tmp;

  @Test
  void aLoadedNodeRestoresToTheSameDigest() throws Exception {
    // Disk-based sync: the RDB comes as $<len>. No compression, so the data set is its real size.
    ValkeyServer master = servers.start(ValkeyServer.builder().name("master")
        .config("rdbcompression no", "repl-diskless-sync no"));
    Datasets.mixed(master, 20_000);
    Datasets.bulk(master, 200_000, 150);
    String digest = Datasets.digest(master);

    Cli backup = Cli.run(s3.args(), "backup", "--node", master.address(), "--cluster", "orders",
        "--prefix", "valkey/orders", "--part-size-mib", "5", "-o", "json");
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));

    byte[] object = s3.get(m.key());
    assertThat(m.size()).isEqualTo(object.length).isGreaterThan(30L << 20);
    assertThat(m.sha256()).isEqualTo(sha256(object));
    assertThat(m.cluster()).isEqualTo("orders");
    assertThat(m.node()).isEqualTo(master.address());
    assertThat(m.role()).isEqualTo("master");
    assertThat(m.replid()).isEqualTo(master.info("replication").get("master_replid"));
    assertThat(m.offset()).isGreaterThanOrEqualTo(0);
    assertThat(m.server()).isIn("redis", "valkey");
    assertThat(m.serverVersion()).isEqualTo(master.info("server").getOrDefault("valkey_version",
        master.info("server").get("redis_version")));
    assertThat(m.rdbVersion()).matches("REDIS\\d{4}|VALKEY\\d{3}");
    assertThat(new String(object, 0, 9, StandardCharsets.US_ASCII)).isEqualTo(m.rdbVersion());
    assertThat(m.crc64()).hasSize(16);
    assertThat(m.startedAt()).isBeforeOrEqualTo(m.finishedAt());
    assertThat(m.id()).startsWith("orders-");
    assertThat(s3.keys("valkey/orders/")).containsExactly(
        "valkey/orders/" + m.id() + BackupKeys.MANIFEST_SUFFIX, "valkey/orders/" + m.id() + ".rdb");
    assertThat(s3.uploadsInProgress()).isZero();

    Cli list = Cli.run(s3.args(), "backups", "list", "--prefix", "valkey/orders", "-o", "json");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("\"id\" : \"" + m.id() + "\"");

    Path dir = tmp.resolve("restored");
    Cli restore = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString());
    assertThat(restore.exit()).as(restore.err()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb");
    }
    ValkeyServer fresh = servers.start(ValkeyServer.builder().name("fresh").config("dir " + dir));
    assertThat(Datasets.digest(fresh)).isEqualTo(digest);
  }

  @Test
  void aDisklessBackupFromAReplicaWhileTheMasterTakesWrites() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    ValkeyServer master = group.get(0);
    ValkeyServer replica = group.get(1);
    Datasets.mixed(master, 20_000); // (DEBUG POPULATE is not replicated: scripts only here)
    long loaded = (Long) master.command("DBSIZE");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.info("replication")
        .get("master_repl_offset").equals(replica.info("replication").get("master_repl_offset")));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> {
      try (AdminConnection c = master.admin(5_000)) {
        for (long i = 1; i <= 1_000_000 && !stop.get(); i++) {
          c.command("SET", "w:" + i, "v" + i);
          written.set(i);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "writer");
    writer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 100);

    Cli backup = Cli.run(s3.args(), "backup", "--node", replica.address(), "--prefix", "r",
        "-o", "json");
    long writtenAtEnd = written.get();
    stop.set(true);
    writer.join(10_000);
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));
    assertThat(m.role()).isEqualTo("replica");
    assertThat(m.node()).isEqualTo(replica.address());
    assertThat(m.replid()).isEqualTo(master.info("replication").get("master_replid"));
    assertThat(m.offset()).isPositive();
    // rdb-only: the master forgets the backup's connection once the RDB is sent.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> master.info("replication").get("connected_slaves").equals("1"));

    Path dir = tmp.resolve("from-replica");
    assertThat(Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString()).exit()).isZero();
    ValkeyServer fresh = servers.start(ValkeyServer.builder().name("fresh").config("dir " + dir));
    long restored = (Long) fresh.command("DBSIZE");
    assertThat(restored - loaded).isBetween(1L, writtenAtEnd);
    assertThat(fresh.command("EXISTS", "h:1", "l:1", "s:1", "z:1", "x:10")).isEqualTo(5L);
    assertThat(fresh.command("GET", "w:1")).isEqualTo("v1");
  }

  /**
   * The invariant's restore half: a restored node starts from the restored RDB, not from the AOF
   * its directory held; and a non-empty directory is refused without --force.
   */
  @Test
  void restoreWinsOverAof() throws Exception {
    ValkeyServer source = servers.start(ValkeyServer.builder().name("source"));
    Datasets.mixed(source, 2_000);
    String digest = Datasets.digest(source);
    Cli backup = Cli.run(s3.args(), "backup", "--node", source.address(), "-o", "json");
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));

    // An old node's directory: an AOF holding other data.
    Path dir = tmp.resolve("old-node");
    Files.createDirectories(dir);
    ValkeyServer old = servers.start(ValkeyServer.builder().name("old")
        .config("dir " + dir, "appendonly yes", "appendfsync always"));
    old.command("SET", "stale", "from-the-aof");
    old.stop();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("appendonlydir");
    }

    Cli refused = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.reason()).startsWith("vigil restore: " + dir + " is not empty")
        .contains("--force").doesNotContain("\n");

    Cli forced = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString(), "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(dir.resolve("appendonlydir")).doesNotExist();
    ValkeyServer restored = servers.start(ValkeyServer.builder().name("restored").config("dir " + dir));
    assertThat(restored.command("GET", "stale")).isNull();
    assertThat(Datasets.digest(restored)).isEqualTo(digest);
  }

  @Test
  void backupsShowAndDelete() throws Exception {
    ValkeyServer node = servers.start();
    node.command("SET", "k", "v");
    Cli backup = Cli.run(s3.args(), "backup", "--node", node.address(), "--prefix", "p", "-o", "json");
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));

    Cli show = Cli.run(s3.args(), "backups", "show", m.key());
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("sha256", m.sha256(), "replid", m.replid());
    Cli table = Cli.run(s3.args(), "backups", "list", "--prefix", "p");
    assertThat(table.out()).contains("ID", m.id(), m.node());

    Cli delete = Cli.run(s3.args(), "backups", "delete", m.key());
    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(s3.keys("p/")).isEmpty();
    Cli again = Cli.run(s3.args(), "backups", "show", m.key());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.reason()).contains("no manifest");
  }

  /**
   * {@code --json} prints one line a script can parse, {@code --result-file} holds the same line
   * (a Job's termination log), and both name what the manifest names.
   */
  @Test
  void aBackupReportsOneJsonLine() throws Exception {
    ValkeyServer node = servers.start();
    Datasets.mixed(node, 1_000);
    Path result = tmp.resolve("termination-log");
    Cli backup = Cli.run(s3.args(), "backup", "--node", node.address(), "--prefix", "j",
        "--json", "--result-file", result.toString());
    assertThat(backup.exit()).as(backup.err()).isZero();
    assertThat(backup.out()).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
    assertThat(Files.readString(result)).isEqualTo(backup.out().replace(System.lineSeparator(), "\n"));

    JsonNode line = new ObjectMapper().readTree(backup.out());
    assertThat(line.fieldNames()).toIterable().containsExactly("id", "bucket", "key",
        "manifestKey", "size", "sha256", "durationSeconds");
    Manifest m = ManifestJson.read(s3.get(line.get("manifestKey").asText()));
    assertThat(line.get("key").asText()).isEqualTo(m.key()).startsWith("j/");
    assertThat(line.get("id").asText()).isEqualTo(m.id());
    assertThat(line.get("bucket").asText()).isEqualTo(S3Fixture.BUCKET);
    assertThat(line.get("size").asLong()).isEqualTo(m.size()).isEqualTo(s3.get(m.key()).length);
    assertThat(line.get("sha256").asText()).isEqualTo(m.sha256()).isEqualTo(sha256(s3.get(m.key())));
    assertThat(line.get("durationSeconds").asDouble())
        .isEqualTo(Duration.between(m.startedAt(), m.finishedAt()).toMillis() / 1000.0);
  }

  /**
   * The agent's memory is a few parts, whatever the dataset's size: a backup and a restore of an
   * RDB over five times the heap, each in its own JVM with a 24 MiB heap (bin/vigil's is 32 MiB)
   * and 40 MiB of direct memory (three 8 MiB parts outside the heap, which could not hold them
   * beside the agent's own ~10 MiB; the pipe from the node holds 4 MiB; a restore's four 1 MiB
   * read-ahead buffers are on the heap), restore to the same digest.
   */
  @Test
  void memoryIsBoundedByPartsNotByTheDataset() throws Exception {
    ValkeyServer node = servers.start(ValkeyServer.builder().name("big")
        .config("rdbcompression no", "repl-diskless-sync no"));
    Datasets.bulk(node, 850_000, 150);
    String digest = Datasets.digest(node);

    List<String> jvm = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx24m", "-XX:MaxDirectMemorySize=40m", "-XX:+UseSerialGC",
        "-Dio.netty.allocator.type=unpooled",
        "-cp", System.getProperty("java.class.path"), BackupCli.class.getName());
    List<String> backup = new java.util.ArrayList<>(jvm);
    backup.addAll(List.of("backup", "--node", node.address(), "--prefix", "big", "--json"));
    backup.addAll(s3.args());
    Path out = tmp.resolve("backup.out");
    Process agent = new ProcessBuilder(backup).redirectOutput(out.toFile())
        .redirectError(tmp.resolve("backup.err").toFile()).start();
    assertThat(agent.waitFor()).as(Files.readString(tmp.resolve("backup.err"))).isZero();
    List<String> printed = Files.readAllLines(out);
    JsonNode line = new ObjectMapper().readTree(printed.get(printed.size() - 1));
    assertThat(line.get("size").asLong()).isGreaterThan(128L << 20);

    Path dir = tmp.resolve("big-restored");
    List<String> restore = new java.util.ArrayList<>(jvm);
    restore.addAll(List.of("restore", "--key", line.get("key").asText(), "--dir", dir.toString()));
    restore.addAll(s3.args());
    Process restorer = new ProcessBuilder(restore).redirectOutput(tmp.resolve("restore.out").toFile())
        .redirectError(tmp.resolve("restore.err").toFile()).start();
    assertThat(restorer.waitFor()).as(Files.readString(tmp.resolve("restore.err"))).isZero();
    ValkeyServer fresh = servers.start(ValkeyServer.builder().name("big-fresh").config("dir " + dir));
    assertThat(Datasets.digest(fresh)).isEqualTo(digest);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
