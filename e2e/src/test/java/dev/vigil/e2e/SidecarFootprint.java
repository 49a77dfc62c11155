package dev.vigil.e2e;

import dev.vigil.e2e.fleet.ProcStats;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar footprint (not a test): idle daemons, each watching its own group of a real master
 * and replica at the defaults, side by side in one run, one per set of JVM options, so that the
 * sets are compared under the same load. Per daemon: CPU over the window (utime+stime from
 * /proc/PID/stat, after a warm-up that leaves startup out), RSS at the end, the highest RSS
 * sampled during the window and the kernel's high-water mark, threads.
 *
 * <p>Run with {@code bin/bench-fleet --sidecar [--minutes 10] [--warmup-s 60] [--tls]}; each extra
 * {@code --opts "NAME=OPTIONS"} adds a set (OPTIONS as VIGIL_JAVA_OPTS; a leading
 * {@code MALLOC_ARENA_MAX=N } sets that variable too). With {@code --tls} every set also runs a
 * twin whose group is TLS only and whose daemon reaches it over mutual TLS ({@code tls-replication
 * yes}), and the cost of one reconnect (connect, handshake, HELLO, PING, on the daemons' Netty
 * client) is measured over plaintext and over TLS first.
 */
public final class SidecarFootprint {
  public static void main(String[] argv) throws Exception {
    double minutes = 10;
    int warmupS = 60;
    Map<String, String> sets = new LinkedHashMap<>();
    boolean tls = false;
    // bin/vigil's default, empty: what a user gets.
    sets.put("bin/vigil default", "");
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--sidecar" -> { }
        case "--tls" -> tls = true;
        case "--minutes" -> minutes = Double.parseDouble(argv[++i]);
        case "--warmup-s" -> warmupS = Integer.parseInt(argv[++i]);
        case "--opts" -> {
          String[] kv = argv[++i].split("=", 2);
          sets.put(kv[0], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    List<ValkeyServer> servers = new ArrayList<>();
    List<WatcherProcess> daemons = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> options = new ArrayList<>();
    TlsFiles files = tls ? TestCertificates.authority("footprint-ca")
        .writeLoopback(Files.createTempDirectory("vigil-footprint-tls-"), "node") : null;
    try {
      for (Map.Entry<String, String> set : sets.entrySet()) {
        for (TlsFiles overTls : tls ? java.util.Arrays.asList(null, files) : java.util.Collections.<TlsFiles>singletonList(null)) {
          ValkeyServer m = ValkeyServer.builder().name("sidecar-master").tls(overTls).start();
          ValkeyServer r = ValkeyServer.builder().name("sidecar-replica").tls(overTls).start();
          r.replicaOf(m);
          servers.add(m);
          servers.add(r);
          String monitor = "sentinel monitor sidecar 127.0.0.1 " + m.port() + " 1\n";
          if (overTls != null) {
            monitor += "tls-port " + DaemonProcess.freePort() + "\ntls-cert-file " + overTls.cert()
                + "\ntls-key-file " + overTls.key() + "\ntls-ca-cert-file " + overTls.caCert()
                + "\ntls-replication yes\n";
          }
          daemons.add(WatcherProcess.vigil(monitor, env(set.getValue())));
          names.add(set.getKey() + (overTls != null ? " +TLS" : ""));
          options.add(set.getValue());
        }
      }
      if (tls) {
        reconnectCost(servers.get(0), servers.get(2), files);
      }
      TimeUnit.SECONDS.sleep(warmupS);
      String load0 = load();
      double[] cpu0 = daemons.stream().mapToDouble(d -> ProcStats.cpuSeconds(d.pid())).toArray();
      long[] maxRss = new long[daemons.size()];
      long t0 = System.nanoTime();
      long end = t0 + (long) (minutes * 60e9);
      while (System.nanoTime() < end) {
        for (int i = 0; i < daemons.size(); i++) {
          maxRss[i] = Math.max(maxRss[i], ProcStats.statusKib(daemons.get(i).pid(), "VmRSS"));
        }
        TimeUnit.SECONDS.sleep(Math.min(10, Math.max(1, (end - System.nanoTime()) / 1_000_000_000L)));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "idle daemon, one group (master + replica), %.1f min window"
          + " after %d s warm-up; load average at start %s, at end %s%n", seconds / 60, warmupS,
          load0, load());
      System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %8s  %s%n", "set", "CPU %", "RSS MiB",
          "max MiB", "HWM MiB", "threads", "options");
      for (int i = 0; i < daemons.size(); i++) {
        long pid = daemons.get(i).pid();
        double pct = 100 * (ProcStats.cpuSeconds(pid) - cpu0[i]) / seconds;
        String opts = options.get(i);
        System.out.printf(Locale.ROOT, "%-22s %9.3f %9.1f %9.1f %9.1f %8d  %s%n", names.get(i),
            pct, ProcStats.statusKib(pid, "VmRSS") / 1024.0, maxRss[i] / 1024.0,
            ProcStats.statusKib(pid, "VmHWM") / 1024.0, ProcStats.threads(pid),
            opts.isEmpty() ? "(bin/vigil's default)" : opts);
      }
    } finally {
      daemons.forEach(WatcherProcess::close);
      servers.forEach(ValkeyServer::close);
    }
  }

  /**
   * One reconnect as a daemon makes it (connect, TLS handshake, HELLO 3, PING) on the Netty client,
   * over plaintext to {@code plain} and over mutual TLS to {@code overTls}, after a warm-up: mean
   * and p99 of 500 each, alternated so that both see the same machine.
   */
  private static void reconnectCost(ValkeyServer plain, ValkeyServer overTls, TlsFiles files) throws Exception {
    io.netty.handler.ssl.SslContext ssl = io.netty.handler.ssl.SslContextBuilder.forClient()
        .keyManager(files.cert().toFile(), files.key().toFile()).trustManager(files.caCert().toFile()).build();
    dev.vigil.resp3.client.RespClientOptions p = dev.vigil.resp3.client.RespClientOptions
        .of(plain.host(), plain.port());
    dev.vigil.resp3.client.RespClientOptions t = dev.vigil.resp3.client.RespClientOptions
        .of(overTls.host(), overTls.port()).withSsl(ssl);
    long[][] nanos = new long[2][500];
    try (dev.vigil.resp3.client.RespClient client = new dev.vigil.resp3.client.RespClient(1)) {
      for (int i = -200; i < 500; i++) {
        for (int k = 0; k < 2; k++) {
          long t0 = System.nanoTime();
          try (dev.vigil.resp3.client.RespConnection c = client.connect(k == 0 ? p : t).get(10, TimeUnit.SECONDS)) {
            c.send("PING").get(10, TimeUnit.SECONDS);
          }
          if (i >= 0) {
            nanos[k][i] = System.nanoTime() - t0;
          }
        }
      }
    }
    for (int k = 0; k < 2; k++) {
      long[] a = nanos[k];
      java.util.Arrays.sort(a);
      System.out.printf(Locale.ROOT, "reconnect (connect%s, HELLO, PING) over %-9s mean %.2f ms, p50 %.2f ms,"
          + " p99 %.2f ms (500, after 200 warm-up)%n", k == 0 ? "" : ", handshake", k == 0 ? "plaintext" : "TLS",
          java.util.Arrays.stream(a).average().orElse(0) / 1e6, a[250] / 1e6, a[495] / 1e6);
    }
  }

  /** VIGIL_JAVA_OPTS from a set, and MALLOC_ARENA_MAX when the set starts with it. */
  private static Map<String, String> env(String set) {
    Map<String, String> env = new LinkedHashMap<>();
    String opts = set.trim();
    if (opts.startsWith("MALLOC_ARENA_MAX=")) {
      String[] f = opts.split("\\s+", 2);
      env.put("MALLOC_ARENA_MAX", f[0].substring("MALLOC_ARENA_MAX=".length()));
      opts = f.length > 1 ? f[1] : "";
    }
    if (!opts.isEmpty()) {
      env.put("VIGIL_JAVA_OPTS", opts);
    }
    return env;
  }

  private static String load() throws java.io.IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
