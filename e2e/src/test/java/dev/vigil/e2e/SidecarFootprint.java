package dev.vigil.e2e;

import dev.vigil.e2e.fleet.ProcStats;
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
 * <p>Run with {@code bin/bench-fleet --sidecar [--minutes 10] [--warmup-s 60]}; each extra
 * {@code --opts "NAME=OPTIONS"} adds a set (OPTIONS as VIGIL_JAVA_OPTS; a leading
 * {@code MALLOC_ARENA_MAX=N } sets that variable too).
 */
public final class SidecarFootprint {
  public static void main(String[] argv) throws Exception {
    double minutes = 10;
    int warmupS = 60;
    Map<String, String> sets = new LinkedHashMap<>();
    // bin/vigil's default, empty: what a user gets.
    sets.put("bin/vigil default", "");
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--sidecar" -> { }
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
    List<String> names = new ArrayList<>(sets.keySet());
    try {
      for (String name : names) {
        ValkeyServer m = ValkeyServer.builder().name("sidecar-master").start();
        ValkeyServer r = ValkeyServer.builder().name("sidecar-replica").start();
        r.replicaOf(m);
        servers.add(m);
        servers.add(r);
        daemons.add(WatcherProcess.vigil("sentinel monitor sidecar 127.0.0.1 " + m.port() + " 1\n",
            env(sets.get(name))));
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
        String opts = sets.get(names.get(i));
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
