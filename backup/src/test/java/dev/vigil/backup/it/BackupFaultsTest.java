package dev.vigil.backup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.backup.cli.BackupCli;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever goes wrong, a failed backup leaves nothing a restore could take (no manifest, no object,
 * no unfinished upload) and says why in one line; a restore refuses what does not verify.
 */
class BackupFaultsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final S3Fixture s3 = new S3Fixture();
  @TempDir Path tmp;

  /** A node whose RDB is ~40 MB, more than the socket buffers and the agent's pipe hold. */
  private ValkeyServer loadedNode() {
    ValkeyServer node = servers.start(ValkeyServer.builder().config("rdbcompression no"));
    Datasets.bulk(node, 250_000, 150);
    return node;
  }

  private void assertNothingLeft() {
    assertThat(s3.keys("")).isEmpty();
    assertThat(s3.uploadsInProgress()).isZero();
  }

  /**
   * The invariant, over a bucket that has seen a good backup and two failed ones: every object is
   * a backup's RDB or its manifest, every manifest names an object whose size, SHA-256, header and
   * CRC-64 verify, and no upload is left unfinished.
   */
  @Test
  void backupIsComplete() throws Exception {
    ValkeyServer node = loadedNode();
    Cli good = Cli.run(s3.args(), "backup", "--node", node.address(), "--prefix", "p");
    assertThat(good.exit()).as(good.err()).isZero();
    s3.failPartsFrom(2);
    Cli failed = Cli.run(s3.args(), "backup", "--node", node.address(), "--prefix", "p",
        "--part-size-mib", "5");
    assertThat(failed.exit()).isEqualTo(1);
    s3.failPartsFrom(Integer.MAX_VALUE);
    CompletableFuture<Cli> killed = CompletableFuture.supplyAsync(() -> Cli.run(s3.args(),
        "backup", "--node", node.address(), "--prefix", "p", "--max-rate-mib", "8"));
    await().atMost(Duration.ofSeconds(20)).until(() -> s3.uploadsInProgress() == 1);
    node.kill9();
    assertThat(killed.get(60, TimeUnit.SECONDS).exit()).isEqualTo(1);

    List<String> keys = s3.keys("p/");
    List<String> manifests = keys.stream().filter(k -> k.endsWith(".manifest.json")).toList();
    assertThat(manifests).hasSize(1);
    assertThat(keys).hasSize(2);
    for (String mk : manifests) {
      Manifest m = ManifestJson.read(s3.get(mk));
      byte[] rdb = s3.get(m.key());
      dev.vigil.backup.rdb.RdbDigest d = new dev.vigil.backup.rdb.RdbDigest();
      d.update(rdb, 0, rdb.length);
      dev.vigil.backup.rdb.RdbSummary summary = d.summary();
      assertThat(summary.problem()).isEmpty();
      assertThat(summary.size()).isEqualTo(m.size());
      assertThat(summary.sha256()).isEqualTo(m.sha256());
      assertThat(summary.crcHex()).isEqualTo(m.crc64());
      assertThat(summary.header()).hasToString(m.rdbVersion());
    }
    assertThat(s3.uploadsInProgress()).isZero();
  }

  @Test
  void s3FailingMidUploadAbortsTheUpload() {
    ValkeyServer node = loadedNode();
    s3.failPartsFrom(3);
    Cli r = Cli.run(s3.args(), "backup", "--node", node.address(), "--part-size-mib", "5");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.reason()).startsWith("vigil backup: S3 error").doesNotContain("\n");
    assertNothingLeft();
  }

  @Test
  void theNodeKilledMidStreamAbortsTheUpload() throws Exception {
    ValkeyServer node = loadedNode();
    CompletableFuture<Cli> backup = CompletableFuture.supplyAsync(() -> Cli.run(s3.args(),
        "backup", "--node", node.address(), "--part-size-mib", "5", "--max-rate-mib", "8"));
    await().atMost(Duration.ofSeconds(20)).until(() -> s3.uploadsInProgress() == 1);
    node.kill9();
    Cli r = backup.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.reason()).contains("the node closed the connection after").doesNotContain("\n");
    assertNothingLeft();
  }

  @Test
  void anAgentStoppedMidStreamAbortsTheUpload() throws Exception {
    ValkeyServer node = loadedNode();
    // Parts from the second are received whole by the store and written only when released: the
    // agent is stopped with parts in flight that the store will still write. Aborting before
    // they land would leave them behind as objects no upload owns.
    s3.holdPartsFrom(2);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), BackupCli.class.getName(),
        "backup", "--node", node.address(), "--part-size-mib", "5"));
    cmd.addAll(s3.args());
    Path log = tmp.resolve("agent.log");
    Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // A fresh JVM, the node's save and the S3 set-up before the upload exists: over 30 s on a
      // 2-core machine under a load average of 40.
      await().atMost(Duration.ofSeconds(90)).until(() -> s3.partsHeld() > 0 || !agent.isAlive());
      assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
      agent.destroy(); // SIGTERM, as a Job's deadline or a deleted pod sends
      await().atMost(Duration.ofSeconds(30)).until(() -> !agent.isAlive()
          || Files.readString(log).contains("still uploading"));
      s3.releaseParts();
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> s3.partsHeld() == 0);
      String output = Files.readString(log);
      assertThat(agent.exitValue()).as(output).isNotZero();
      assertThat(output).contains("part(s) still uploading", "aborting multipart upload");
      assertNothingLeft();
    } finally {
      s3.releaseParts();
      agent.destroyForcibly();
    }
  }

  /** Parts live outside the heap: a direct-memory limit too small for them is named, not an OOM. */
  @Test
  void partsBeyondTheDirectMemoryLimitFailWithTheSettingToChange() throws Exception {
    ValkeyServer node = loadedNode();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:MaxDirectMemorySize=12m", "-cp", System.getProperty("java.class.path"),
        BackupCli.class.getName(), "backup", "--node", node.address(), "--part-size-mib", "5",
        "--upload-threads", "2"));
    cmd.addAll(s3.args());
    Path err = tmp.resolve("agent.err");
    Process agent = new ProcessBuilder(cmd).redirectError(err.toFile())
        .redirectOutput(tmp.resolve("agent.out").toFile()).start();
    assertThat(agent.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(err);
    assertThat(agent.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("vigil backup: 3 parts of 5.0 MiB do not fit "
        + "in the JVM's direct memory (-XX:MaxDirectMemorySize): lower --upload-threads, or for a "
        + "diskless stream of this size raise --part-size-mib so that 8,000 parts hold it, or raise "
        + "the limit with the memory (VIGIL_BACKUP_JAVA_OPTS for bin/vigil, _JAVA_OPTIONS in the "
        + "image)");
    assertNothingLeft();
  }

  @Test
  void aCorruptedObjectIsRefusedWithOneLine() throws Exception {
    ValkeyServer node = servers.start();
    Datasets.mixed(node, 1_000);
    Cli backup = Cli.run(s3.args(), "backup", "--node", node.address(), "-o", "json");
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));
    byte[] rdb = s3.get(m.key());
    rdb[rdb.length / 2] ^= 0x01;
    s3.put(m.key(), rdb);

    Path dir = tmp.resolve("data");
    Cli r = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.reason()).startsWith("vigil restore: refusing s3://backups/" + m.key() + ": SHA-256 ")
        .doesNotContain("\n");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty(); // no dump.rdb, no temp file
    }
  }

  /**
   * A store that still sends, only too slowly, keeps a restore init container from ever
   * finishing or failing: less than 1 MiB in a stall window, or a deadline passed, ends it with
   * one line saying how far it got, and leaves the directory as it was.
   */
  @Test
  void aDownloadThatStallsOrOutlivesItsDeadlineIsAbandonedWithOneLine() throws Exception {
    ValkeyServer node = servers.start(ValkeyServer.builder().config("rdbcompression no"));
    Datasets.bulk(node, 20_000, 100);
    Cli backup = Cli.run(s3.args(), "backup", "--node", node.address(), "-o", "json");
    assertThat(backup.exit()).as(backup.err()).isZero();
    Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));
    assertThat(m.size()).isGreaterThan(1_000_000);

    s3.trickleDownloads(64 * 1024);
    Path dir = tmp.resolve("data");
    Cli stalled = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString(),
        "--stall-s", "2");
    assertThat(stalled.exit()).isEqualTo(1);
    assertThat(stalled.reason()).matches("vigil restore: the download stalled: .* in the last 2s "
        + "\\(--stall-s\\); restore: .*").doesNotContain("\n");
    Cli late = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString(),
        "--stall-s", "0", "--deadline-s", "2");
    assertThat(late.exit()).isEqualTo(1);
    assertThat(late.reason()).startsWith("vigil restore: the download did not finish within 2s "
        + "(--deadline-s); restore: ").doesNotContain("\n");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }

    Cli usage = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString(),
        "--deadline-s", "-1");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.reason()).isEqualTo("vigil restore: --deadline-s must be 0 (no bound) to 31622400");

    s3.trickleDownloads(0);
    Cli whole = Cli.run(s3.args(), "restore", "--key", m.key(), "--dir", dir.toString(),
        "--deadline-s", "60", "--stall-s", "30");
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(Files.size(dir.resolve("dump.rdb"))).isEqualTo(m.size());
  }

  @Test
  void anObjectWithoutItsManifestIsNoBackup() {
    s3.put("p/orphan.rdb", "REDIS0010 whatever".getBytes(StandardCharsets.US_ASCII));
    Cli r = Cli.run(s3.args(), "restore", "--key", "p/orphan.rdb", "--dir", tmp.resolve("d").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.reason()).isEqualTo(
        "vigil restore: no manifest at s3://backups/p/orphan.manifest.json: not a complete backup");
  }

  @Test
  void wrongCredentialsMissingBucketAndNoS3AreOneLineFailures() throws Exception {
    ValkeyServer node = servers.start();
    List<String> wrongSecret = new ArrayList<>(s3.args());
    wrongSecret.set(wrongSecret.indexOf(S3Fixture.SECRET), "not-the-secret");
    Cli denied = Cli.run(wrongSecret, "backup", "--node", node.address());
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.reason()).startsWith("vigil backup: S3 refused the credentials");
    Cli deniedRestore = Cli.run(wrongSecret, "restore", "--key", "x.rdb", "--dir", tmp.toString());
    assertThat(deniedRestore.reason()).startsWith("vigil restore: S3 refused the credentials");

    List<String> noBucket = new ArrayList<>(s3.args());
    noBucket.set(noBucket.indexOf(S3Fixture.BUCKET), "nope");
    Path result = tmp.resolve("termination-log");
    Cli missing = Cli.run(noBucket, "backup", "--node", node.address(), "--json",
        "--result-file", result.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.reason()).isEqualTo("vigil backup: bucket nope does not exist");
    assertThat(missing.out()).isEmpty();
    // The operator reads a failed Job's reason from its termination log.
    assertThat(Files.readString(result)).isEqualTo("{\"error\":\"bucket nope does not exist\"}\n");

    s3.stop();
    Cli unreachable = Cli.run(s3.args(), "backup", "--node", node.address(), "--s3-timeout-s", "10");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.reason()).startsWith("vigil backup: cannot reach S3 at http://127.0.0.1:")
        .doesNotContain("\n");
  }

  @Test
  void nodeRefusalsAreOneLineFailures() {
    ValkeyServer secured = servers.start(ValkeyServer.builder().password("right"));
    Cli wrongPass = Cli.run(s3.args(), "backup", "--node", secured.address(), "--node-password", "wrong");
    assertThat(wrongPass.exit()).isEqualTo(1);
    assertThat(wrongPass.reason()).contains("WRONGPASS").doesNotContain("\n");

    ValkeyServer orphan = servers.start(ValkeyServer.builder().name("orphan-replica")
        .config("replicaof 127.0.0.1 1"));
    Cli stale = Cli.run(s3.args(), "backup", "--node", orphan.address());
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.reason()).contains("is a replica whose link to its master is down");

    Cli usage = Cli.run(s3.args(), "backup", "--node", "no-port");
    assertThat(usage.exit()).isEqualTo(2);
    assertNothingLeft();
  }
}
