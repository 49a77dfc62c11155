package dev.vigil.e2e;

import dev.vigil.e2e.fleet.FakeFleet;
import dev.vigil.e2e.fleet.ProcStats;
import dev.vigil.testkit.ServerBinary;
import dev.vigil.testkit.ValkeyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The many-groups benchmark (not a test): Vigil's daemons and Redis' Sentinel, one after the
 * other, each watching the same fleet of groups (a master and two replicas each; fake nodes from
 * {@link FakeFleet}, plus a few groups of real servers) at the same down-after. Per watcher it
 * measures, over a window after a warm-up: CPU of each watcher process (utime+stime from
 * /proc/PID/stat), RSS and its high-water mark, and the PINGs every node connection received
 * (missed periods: a gap over twice the ping period, seen by the node); then the time to detect
 * and fail over one fake group (its master's port closed, as kill -9) while the others are
 * watched. Prints both side by side with Vigil/Sentinel ratios, and the load average.
 *
 * <p>Run with {@code bin/bench-fleet [--groups 500] [--daemons 1|3] [--down-after 5000]
 * [--minutes M] [--watcher vigil|redis-sentinel|both] [--real-groups 1] [--warmup-s 15]
 * [--jfr FILE] [--rounds N]}. With several rounds (each a fresh fleet, the watchers' order
 * alternating) the table gives each figure's median over the rounds, and the CPU ratio of every
 * round: on a shared 2-core machine two runs of the same build can differ by a third.
 */
public final class FleetBenchmark {
  /** One watcher's figures; -1 where something did not happen. */
  record Result(String watcher, int groups, int daemons, int nodes, double cpuPercentPerDaemon,
      double cpuPercentMax, long rssKib, long hwmKib, long threads, long connections, long pings,
      long missed, long p99GapMs, long maxGapMs, double fleetCpuPercent, long sdownMs,
      long odownMs, long switchMs, long repointedMs, long tilts, String load, String commands) {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--groups", "500", "--daemons", "1",
        "--down-after", "5000", "--minutes", "1", "--watcher", "both", "--real-groups", "1",
        "--warmup-s", "15", "--jfr", "", "--rounds", "1"));
    for (int i = 0; i < argv.length; i++) {
      if (!opts.containsKey(argv[i]) || i + 1 == argv.length) {
        System.err.println("usage: bin/bench-fleet [--groups N] [--daemons 1|3] [--down-after MS]"
            + " [--minutes M] [--watcher vigil|redis-sentinel|both] [--real-groups N]"
            + " [--warmup-s S] [--jfr FILE] [--rounds N]");
        System.exit(2);
      }
      opts.put(argv[i], argv[++i]);
    }
    String which = opts.get("--watcher");
    List<String> watchers = which.equals("both") ? List.of("vigil", "redis-sentinel")
        : List.of(which);
    if (watchers.contains("redis-sentinel") && !ServerBinary.hasSentinel()) {
      System.out.println("no redis-sentinel on PATH: measuring Vigil alone");
      watchers = List.of("vigil");
    }
    int rounds = Integer.parseInt(opts.get("--rounds"));
    if (rounds < 1) {
      System.err.println("bench-fleet: --rounds must be at least 1");
      System.exit(2);
    }
    Map<String, List<Result>> results = new LinkedHashMap<>();
    watchers.forEach(w -> results.put(w, new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      // Alternating which goes first, so that a drift of the machine's load over the rounds
      // weighs on both watchers alike.
      List<String> order = new ArrayList<>(watchers);
      if (round % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String w : order) {
        Result r = run(w, Integer.parseInt(opts.get("--groups")),
            Integer.parseInt(opts.get("--daemons")), Long.parseLong(opts.get("--down-after")),
            (long) (Double.parseDouble(opts.get("--minutes")) * 60_000),
            Integer.parseInt(opts.get("--real-groups")), Integer.parseInt(opts.get("--warmup-s")),
            round == 0 ? opts.get("--jfr") : "");
        results.get(w).add(r);
        print(r);
      }
    }
    if (results.size() == 2) {
      table(results.get("vigil"), results.get("redis-sentinel"));
    }
  }

  private static Result run(String watcher, int groups, int daemons, long downAfter,
      long windowMs, int realGroups, int warmupS, String jfr) throws Exception {
    boolean vigil = watcher.equals("vigil");
    long pingPeriod = vigil ? Math.min(1_000, downAfter / 5) : Math.min(1_000, downAfter);
    int quorum = daemons / 2 + 1;
    List<ValkeyServer> real = new ArrayList<>();
    List<WatcherProcess> procs = new ArrayList<>();
    try (FakeFleet fleet = new FakeFleet()) {
      List<FakeFleet.Group> fake = fleet.startGroups(groups - realGroups, 2);
      StringBuilder monitors = new StringBuilder();
      for (int g = 0; g < fake.size(); g++) {
        monitors.append(monitor("g" + g, fake.get(g).master(), quorum, downAfter));
      }
      for (int g = 0; g < realGroups; g++) {
        ValkeyServer m = ValkeyServer.builder().name("real" + g).start();
        real.add(m);
        for (int r = 0; r < 2; r++) {
          ValkeyServer rs = ValkeyServer.builder().name("real" + g + "r").start();
          rs.replicaOf(m);
          real.add(rs);
        }
        monitors.append(monitor("r" + g, m.port(), quorum, downAfter));
      }
      for (int d = 0; d < daemons; d++) {
        Map<String, String> env = new LinkedHashMap<>();
        if (System.getenv("VIGIL_JAVA_OPTS") != null) {
          env.put("VIGIL_JAVA_OPTS", System.getenv("VIGIL_JAVA_OPTS"));
        }
        if (d == 0 && !jfr.isEmpty()) {
          env.put("JAVA_TOOL_OPTIONS",
              "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        }
        procs.add(vigil ? WatcherProcess.vigil(monitors.toString(), env)
            : WatcherProcess.redisSentinel(monitors.toString()));
      }
      int fleetNodes = fleet.size();
      long warmDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      int pinged;
      while ((pinged = fleet.nodesPingedWithin(3 * pingPeriod)) < fleetNodes) {
        if (System.nanoTime() > warmDeadline) {
          // Measured all the same: a watcher that cannot reach every node is a result too.
          System.out.printf(Locale.ROOT, "%s: only %d of %d fake nodes pinged within %d ms after"
              + " 3 minutes; measuring anyway%n", watcher, pinged, fleetNodes, 3 * pingPeriod);
          break;
        }
        for (WatcherProcess p : procs) {
          if (!p.process.isAlive()) {
            throw new IllegalStateException(watcher + " exited:\n" + p.log());
          }
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      // JIT, class loading and the replicas' discovery settle before the window opens.
      TimeUnit.SECONDS.sleep(warmupS);
      fleet.resetCounts();
      long self = ProcessHandle.current().pid();
      double[] cpu0 = procs.stream().mapToDouble(p -> ProcStats.cpuSeconds(p.pid())).toArray();
      double self0 = ProcStats.cpuSeconds(self);
      long t0 = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(windowMs);
      double seconds = (System.nanoTime() - t0) / 1e9;
      var gaps = fleet.pingGaps(pingPeriod);
      String commands = fleet.commandsPerSecond();
      String load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " "
          + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1];
      double sum = 0;
      double max = 0;
      long rss = 0;
      long hwm = 0;
      long threads = 0;
      for (int i = 0; i < procs.size(); i++) {
        long pid = procs.get(i).pid();
        double pct = 100 * (ProcStats.cpuSeconds(pid) - cpu0[i]) / seconds;
        sum += pct;
        max = Math.max(max, pct);
        rss = Math.max(rss, ProcStats.statusKib(pid, "VmRSS"));
        hwm = Math.max(hwm, ProcStats.statusKib(pid, "VmHWM"));
        threads = Math.max(threads, ProcStats.threads(pid));
      }
      double fleetCpu = 100 * (ProcStats.cpuSeconds(self) - self0) / seconds;

      Map<String, Long> firstEvent = new ConcurrentHashMap<>();
      List<Socket> listeners = new ArrayList<>();
      for (WatcherProcess p : procs) {
        listeners.add(listen(p.port, "g0", firstEvent));
      }
      FakeFleet.Group victim = fake.get(0);
      long faultAt = System.nanoTime();
      fleet.kill(victim.master());
      long deadline = faultAt + TimeUnit.SECONDS.toNanos(90);
      long repointedAt = -1;
      while (System.nanoTime() < deadline && repointedAt < 0) {
        int promoted = -1;
        for (int r : victim.replicas()) {
          if (fleet.role(r).equals("master")) {
            promoted = r;
          }
        }
        if (promoted > 0) {
          for (int r : victim.replicas()) {
            if (r != promoted && fleet.role(r).equals("slave:" + promoted)
                && firstEvent.containsKey("+switch-master")) {
              repointedAt = System.nanoTime();
            }
          }
        }
        TimeUnit.MILLISECONDS.sleep(5);
      }
      for (Socket s : listeners) {
        s.close();
      }
      long tilts = 0;
      for (WatcherProcess p : procs) {
        tilts += p.log().lines().filter(l -> l.contains("+tilt")).count();
        String keep = System.getenv("FLEET_KEEP_LOGS");
        if (keep != null) {
          Files.createDirectories(Path.of(keep));
          Files.writeString(Path.of(keep, watcher + "-" + groups + "-" + p.port + ".log"),
              p.log());
        }
      }
      return new Result(watcher, groups, daemons, fleetNodes + real.size(), sum / procs.size(),
          max, rss, hwm, threads, gaps.connections(), gaps.pings(), gaps.missed(),
          gaps.p99GapMs(), gaps.maxGapMs(), fleetCpu, ms(firstEvent.get("+sdown"), faultAt),
          ms(firstEvent.get("+odown"), faultAt), ms(firstEvent.get("+switch-master"), faultAt),
          repointedAt < 0 ? -1 : ms(repointedAt, faultAt), tilts, load, commands);
    } finally {
      procs.forEach(WatcherProcess::close);
      real.forEach(ValkeyServer::close);
    }
  }

  private static String monitor(String name, int port, int quorum, long downAfter) {
    return "sentinel monitor " + name + " 127.0.0.1 " + port + " " + quorum + "\n"
        + "sentinel down-after-milliseconds " + name + " " + downAfter + "\n"
        + "sentinel failover-timeout " + name + " 10000\n";
  }

  private static long ms(Long at, long from) {
    return at == null ? -1 : TimeUnit.NANOSECONDS.toMillis(at - from);
  }

  /**
   * Subscribes to the watcher's +sdown, +odown and +switch-master and records when each first
   * names group {@code name}.
   */
  private static Socket listen(int port, String name, Map<String, Long> first) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.getOutputStream().write("SUBSCRIBE +sdown +odown +switch-master\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.equals("message")) {
            continue;
          }
          in.readLine();
          String channel = in.readLine();
          in.readLine();
          String payload = in.readLine();
          if (payload != null && (payload.startsWith("master " + name + " ")
              || payload.startsWith(name + " "))) {
            first.putIfAbsent(channel, System.nanoTime());
          }
        }
      } catch (IOException closed) {
        // the benchmark closed it
      }
    }, "events-" + port);
    t.setDaemon(true);
    t.start();
    return s;
  }

  private static void print(Result r) {
    System.out.printf(Locale.ROOT, "%-14s groups %d, daemons %d, nodes %d: CPU %.2f %% of a core"
        + " per daemon (max %.2f), RSS %d MiB (HWM %d MiB), %d threads; %d PINGs on %d"
        + " connections, %d missed periods, gap p99 %d ms max %d ms; fleet process %.1f %%;"
        + " failover of g0: +sdown %d ms, +odown %d ms, +switch-master %d ms, replicas"
        + " re-pointed %d ms; %d +tilt in the logs; load %s; the fake nodes took per second: %s%n",
        r.watcher, r.groups, r.daemons, r.nodes,
        r.cpuPercentPerDaemon, r.cpuPercentMax, r.rssKib / 1024, r.hwmKib / 1024, r.threads,
        r.pings, r.connections, r.missed, r.p99GapMs, r.maxGapMs, r.fleetCpuPercent, r.sdownMs,
        r.odownMs, r.switchMs, r.repointedMs, r.tilts, r.load, r.commands);
  }

  /** Medians over the rounds, side by side, then each round's CPU ratio. */
  private static void table(List<Result> v, List<Result> s) {
    System.out.printf(Locale.ROOT, "%n%-34s %12s %14s %8s%n", v.size() > 1 ? "median of "
        + v.size() + " rounds" : "", "vigil", "redis-sentinel", "ratio");
    row("CPU, % of a core per daemon", v, s, Result::cpuPercentPerDaemon);
    row("RSS, MiB", v, s, r -> r.rssKib() / 1024.0);
    row("RSS high-water mark, MiB", v, s, r -> r.hwmKib() / 1024.0);
    row("missed ping periods", v, s, Result::missed);
    row("PING gap p99, ms", v, s, Result::p99GapMs);
    row("PING gap max, ms", v, s, Result::maxGapMs);
    row("+tilt in the logs", v, s, Result::tilts);
    row("fault to +sdown, ms", v, s, Result::sdownMs);
    row("fault to +odown, ms", v, s, Result::odownMs);
    row("fault to +switch-master, ms", v, s, Result::switchMs);
    row("fault to replicas re-pointed, ms", v, s, Result::repointedMs);
    System.out.printf(Locale.ROOT, "load average (1 and 5 min) at the end of each window: vigil %s,"
        + " redis-sentinel %s%n", v.stream().map(Result::load).toList(),
        s.stream().map(Result::load).toList());
    if (v.size() > 1) {
      StringBuilder ratios = new StringBuilder();
      for (int i = 0; i < v.size(); i++) {
        double sentinel = s.get(i).cpuPercentPerDaemon();
        ratios.append(i == 0 ? "" : ", ").append(sentinel > 0 ? String.format(Locale.ROOT,
            "%.2f", v.get(i).cpuPercentPerDaemon() / sentinel) : "-");
      }
      System.out.println("CPU ratio per round: " + ratios);
    }
  }

  private static void row(String name, List<Result> v, List<Result> s,
      java.util.function.ToDoubleFunction<Result> figure) {
    row(name, median(v, figure), median(s, figure));
  }

  /** Over the rounds where it happened (-1 marks one where it did not); -1 when in none. */
  static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> figure) {
    double[] xs = rs.stream().mapToDouble(figure).filter(x -> x >= 0).sorted().toArray();
    int n = xs.length;
    if (n == 0) {
      return -1;
    }
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }

  private static void row(String name, double v, double s) {
    String ratio = s > 0 && v >= 0 ? String.format(Locale.ROOT, "%.2f", v / s) : "-";
    System.out.printf(Locale.ROOT, "%-34s %12.2f %14.2f %8s%n", name, v, s, ratio);
  }
}
