package dev.vigil.backup.bench;

import dev.vigil.backup.it.BackupTlsFiles;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Not a test: backup and restore throughput of a large RDB (1 GiB by default) through the
 * in-process S3 (S3Proxy, filesystem backend) on loopback, against copying the RDB file locally,
 * the agent's peak RSS, and (with {@code --latency}) the master's latency while a backup is taken
 * from its replica (and, for comparison, from itself). The agent runs as bin/vigil runs it (its
 * jar, its JVM flags, {@code VIGIL_BACKUP_JAVA_OPTS} to try others), under /usr/bin/time. Run with
 * bin/bench-backup [--latency] [--diskless] [--https] [KEYS [VALUE_BYTES]].
 */
public final class BackupBenchmark {
  public static void main(String[] args) throws Exception {
    List<String> flags = Arrays.stream(args).filter(a -> a.startsWith("--")).toList();
    List<String> numbers = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    boolean latency = flags.contains("--latency");
    boolean diskless = flags.contains("--diskless");
    // S3 over HTTPS (a private CA, --s3-ca-file), as against AWS: the SDK then sends the payload
    // unsigned; over plain HTTP it signs every 128 KiB chunk (a second SHA-256 of all the data).
    boolean https = flags.contains("--https");
    int keys = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 7_000_000;
    int valueBytes = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 150;
    // Disk-based sync by default: the node saves the RDB to its disk first, then sends it with its
    // length; --diskless has the node's fork write it into the socket as it serialises.
    String sync = "repl-diskless-sync " + (diskless ? "yes" : "no");
    Path work = Files.createTempDirectory("vigil-bench-backup-");
    BlobStoreContext ctx = null;
    S3Proxy proxy = null;
    try (ValkeyServer node = ValkeyServer.builder().name("bench")
        .config("rdbcompression no", sync, "repl-diskless-sync-delay 0").start()) {
      String loadBefore = load();
      System.out.printf("populating %,d keys of %d bytes...%n", keys, valueBytes);
      try (AdminConnection c = node.admin(600_000)) {
        c.command("DEBUG", "POPULATE", Integer.toString(keys), "k", Integer.toString(valueBytes));
        // Anchor: the RDB the server saves, copied to another file and fsynced.
        c.command("SAVE");
      }
      Path rdb = node.dir().resolve("dump.rdb");
      long size = Files.size(rdb);
      long t0 = System.nanoTime();
      Path copy = work.resolve("copy.rdb");
      Files.copy(rdb, copy);
      try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      double copySeconds = (System.nanoTime() - t0) / 1e9;
      Files.delete(copy);
      Files.delete(rdb);

      Properties p = new Properties();
      Path blobs = Files.createDirectories(work.resolve("s3"));
      p.setProperty("jclouds.filesystem.basedir", blobs.toString());
      ctx = ContextBuilder.newBuilder("filesystem").credentials("a", "secret-secret").overrides(p)
          .build(BlobStoreContext.class);
      ctx.getBlobStore().createContainerInLocation(null, "bench");
      S3Proxy.Builder server = S3Proxy.builder().blobStore(ctx.getBlobStore())
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "a", "secret-secret");
      Path certs = Files.createDirectories(work.resolve("certs"));
      if (https) {
        BackupTlsFiles.write(certs);
        server.secureEndpoint(URI.create("https://127.0.0.1:0"))
            .keyStore(certs.resolve("s3.p12").toString(), BackupTlsFiles.STORE_PASSWORD);
      } else {
        server.endpoint(URI.create("http://127.0.0.1:0"));
      }
      proxy = server.build();
      proxy.start();
      while (!proxy.getState().equals("STARTED")) {
        Thread.onSpinWait();
      }
      List<String> s3 = new ArrayList<>(List.of("--path-style", "--bucket", "bench",
          "--access-key", "a", "--secret-key", "secret-secret"));
      if (https) {
        s3.addAll(List.of("--s3-endpoint", "https://localhost:" + proxy.getSecurePort(),
            "--s3-ca-file", certs.resolve("ca.crt").toString()));
      } else {
        s3.addAll(List.of("--s3-endpoint", "http://127.0.0.1:" + proxy.getPort()));
      }

      Run backup = agent(work, s3, "backup", "--node", node.address(), "--prefix", "b",
          "--progress-interval-s", "60");
      String key = Files.readString(backup.out()).lines().filter(l -> l.contains("object"))
          .map(l -> l.substring(l.indexOf("s3://bench/") + "s3://bench/".length()).strip())
          .findFirst().orElseThrow(() -> new IllegalStateException("backup failed: " + backup));
      Run restore = agent(work, s3, "restore", "--key", key, "--dir",
          work.resolve("restored").toString(), "--progress-interval-s", "60");
      // (The replication RDB differs from SAVE's by a few aux fields: sizes match to a few bytes.)
      size = Files.size(work.resolve("restored").resolve("dump.rdb"));

      double mib = size / (double) (1 << 20);
      System.out.printf("%nRDB %.0f MiB (%,d keys of %d bytes, rdbcompression no)%n", mib, keys, valueBytes);
      System.out.printf("load average before / after: %s / %s (2 cores? %d)%n", loadBefore, load(),
          Runtime.getRuntime().availableProcessors());
      System.out.printf("%-36s %8s %10s %8s %12s%n", "", "seconds", "MiB/s", "x copy", "peak RSS");
      System.out.printf("%-36s %8.2f %10.0f %8s %12s%n", "local copy + fsync", copySeconds,
          mib / copySeconds, "1.00", "-");
      row("vigil backup, whole process", backup.seconds(), mib, copySeconds, backup.rssKib());
      row("  of which the node's save", backup.phase("node sent FULLRESYNC") - backup.phase("backing up"),
          mib, copySeconds, -1);
      row("  of which streaming to S3", backup.phase("RDB streamed") - backup.phase("node sent FULLRESYNC"),
          mib, copySeconds, -1);
      row("  of which completing + manifest", backup.phase(" complete: ") - backup.phase("RDB streamed"),
          mib, copySeconds, -1);
      row("vigil restore, whole process", restore.seconds(), mib, copySeconds, restore.rssKib());
      row("  of which download, verify, fsync", restore.phase("restored backup")
          - restore.phase("downloading"), mib, copySeconds, -1);
      // What the agent itself costs, apart from waiting on the node and on the S3 server that
      // share its cores here: the throughput it could reach against a store elsewhere.
      System.out.printf("agent CPU (user + system): backup %.2f s (%.2f s/GiB), restore %.2f s"
          + " (%.2f s/GiB)%n", backup.cpuSeconds(), backup.cpuSeconds() * 1024 / mib,
          restore.cpuSeconds(), restore.cpuSeconds() * 1024 / mib);
      System.out.println("(whole processes include JVM start, INFO and S3 set-up; the node's save is "
          + (diskless ? "its fork writing into the socket (diskless), so it overlaps streaming"
              : "a BGSAVE to its disk before the first byte is sent (disk-based sync)")
          + "; the S3 server's filesystem backend concatenates the parts at completion; S3 over "
          + (https ? "HTTPS, payload unsigned" : "plain HTTP, every 128 KiB chunk signed") + ")");

      if (!latency) {
        return;
      }
      // The master's latency (PING round trips from one client) idle, while a backup is taken
      // from its replica, and while one is taken from the master itself.
      try (ValkeyServer replica = ValkeyServer.builder().name("replica")
          .config("rdbcompression no", sync, "repl-diskless-sync-delay 0").start()) {
        replica.replicaOf(node);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(10))
            .pollInterval(java.time.Duration.ofMillis(200))
            .until(() -> "up".equals(replica.info("replication").get("master_link_status")));
        Latency idle = Latency.during(node, () -> Thread.sleep(5_000));
        Latency fromReplica = Latency.during(node, () -> agent(work, s3, "backup", "--node",
            replica.address(), "--prefix", "r", "--progress-interval-s", "60"));
        Latency fromMaster = Latency.during(node, () -> agent(work, s3, "backup", "--node",
            node.address(), "--prefix", "m", "--progress-interval-s", "60"));
        System.out.printf("%nmaster PING latency (ms), load %s  %8s %8s %8s %8s %8s%n", load(),
            "p50", "p99", "p99.9", "max", "samples");
        for (var row : List.of(Map.entry("idle", idle), Map.entry("backup from the replica", fromReplica),
            Map.entry("backup from the master", fromMaster))) {
          Latency l = row.getValue();
          System.out.printf("%-41s %8.2f %8.2f %8.2f %8.2f %8d%n", row.getKey(), l.quantile(0.5),
              l.quantile(0.99), l.quantile(0.999), l.quantile(1.0), l.sortedMillis().length);
        }
      }
    } finally {
      if (proxy != null) {
        proxy.stop();
      }
      if (ctx != null) {
        ctx.close();
      }
      try (Stream<Path> w = Files.walk(work)) {
        w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** One agent process: wall time, peak RSS, CPU time (user + system) and its output. */
  record Run(double seconds, long rssKib, double cpuSeconds, Path out, Path err) {
    /**
     * When the first log line containing {@code marker} was written, in seconds of the day (the
     * agent's log lines start with HH:mm:ss.SSS); NaN when there is none.
     */
    double phase(String marker) {
      try {
        return Files.readAllLines(err).stream().filter(l -> l.contains(marker) && l.length() > 12)
            .map(l -> java.time.LocalTime.parse(l.substring(0, 12)).toNanoOfDay() / 1e9)
            .findFirst().orElse(Double.NaN);
      } catch (IOException | java.time.format.DateTimeParseException e) {
        return Double.NaN;
      }
    }
  }

  private static void row(String what, double seconds, double mib, double copySeconds, long rssKib) {
    System.out.printf("%-36s %8.2f %10.0f %8.2f %12s%n", what, seconds, mib / seconds,
        seconds / copySeconds, rssKib < 0 ? "" : rssKib / 1024 + " MiB");
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** Something to measure latency during. */
  interface Work {
    void run() throws Exception;
  }

  /** PING round trips (ms) from one client while {@code work} runs; at most 10 million. */
  record Latency(double[] sortedMillis) {
    static Latency during(ValkeyServer node, Work work) throws Exception {
      AtomicBoolean stop = new AtomicBoolean();
      double[] samples = new double[10_000_000];
      int[] count = {0};
      Thread probe = new Thread(() -> {
        try (AdminConnection c = node.admin(60_000)) {
          while (!stop.get() && count[0] < samples.length) {
            long t = System.nanoTime();
            c.command("PING");
            samples[count[0]++] = (System.nanoTime() - t) / 1e6;
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "latency-probe");
      probe.start();
      try {
        work.run();
      } finally {
        stop.set(true);
        probe.join();
      }
      double[] got = Arrays.copyOf(samples, count[0]);
      Arrays.sort(got);
      return new Latency(got);
    }

    double quantile(double q) {
      return sortedMillis.length == 0 ? Double.NaN
          : sortedMillis[(int) Math.min(sortedMillis.length - 1, Math.floor(q * sortedMillis.length))];
    }
  }

  /** One agent process as bin/vigil starts it (jar, JVM flags), under /usr/bin/time for its peak RSS. */
  private static Run agent(Path work, List<String> s3, String... args) throws IOException, InterruptedException {
    Path out = work.resolve(args[0] + ".out");
    Path err = work.resolve(args[0] + ".err");
    Path time = work.resolve(args[0] + ".time");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o", time.toString(),
        Path.of("bin", "vigil").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(s3);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // bin/vigil runs `java` from PATH: the same runtime as this JVM's.
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
        + System.getenv("PATH"));
    Process pr = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int exit = pr.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(args[0] + " exited " + exit + ": " + Files.readString(err));
    }
    System.out.print(Files.readString(out) + Files.readString(err));
    String[] t = Files.readString(time).strip().split("\\s+");
    int n = t.length;
    return new Run(Double.parseDouble(t[n - 4]), Long.parseLong(t[n - 3]),
        Double.parseDouble(t[n - 2]) + Double.parseDouble(t[n - 1]), out, err);
  }
}
