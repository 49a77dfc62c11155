package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.history.History;
import dev.vigil.e2e.history.HistoryChecker;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The spurious-failover soak (issue 17), run by {@code bin/soak}: repeated failovers on one
 * loopback group (a master, two replicas, three watchers with quorum 2, every link through a
 * {@link ProxiedGroup} fault proxy, Vigil's recommended min-replicas-to-write 1) with four
 * {@link HistoryWriter}s running, two of them with {@code WAIT 1}. Each run faults the current
 * master (kill -9, SIGSTOP, or a partition that cuts it off from everything), waits until another
 * node acknowledges a write, restores the old master (restart, SIGCONT, heal), waits until the
 * group converges, lets it settle for max(2 s, 3 x down-after), and checks the history against the
 * final master. {@link SoakVerdict} says what is counted. One line per run, the totals last; exit
 * 0 iff nothing spurious, failed or lost. A failed run's group is replaced by a fresh one, and the
 * watchers' logs of every run that is not clean are kept under {@code target/soak-logs/}.
 */
public final class Soak {
  /** A failover, or a convergence after the restore, that takes longer has failed. */
  static final Duration BOUND = Duration.ofSeconds(30);
  /** Each writer pauses this long after each write: a client load, not a CPU hog of its own. */
  static final long WRITER_PAUSE_MICROS = 1_000;
  /** Vigil's fresh-identity quarantine (5 s) and a margin: no failover can start before. */
  private static final long FRESH_GROUP_QUIET_MS = 6_000;

  private final SoakOptions options;
  private final PrintStream out;
  private final Random random;
  private final ValkeyServers servers = new ValkeyServers();
  private final DaemonProcesses tracked = new DaemonProcesses();
  private final Path logs;
  /** The group in use, for the shutdown hook: an interrupted soak leaves no process behind. */
  private volatile ProxiedGroup current;

  Soak(SoakOptions options, PrintStream out, Path logs) {
    this.options = options;
    this.out = out;
    this.random = new Random(options.seed());
    this.logs = logs;
  }

  public static void main(String[] argv) throws Exception {
    SoakOptions o;
    try {
      o = SoakOptions.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    // One directory per soak, so that a later soak does not overwrite the logs of this one.
    Path logs = Path.of("target", "soak-logs", o.watcher().name() + "-" + o.downAfterMs() + "ms-seed-"
        + o.seed());
    SoakTotals t = new Soak(o, System.out, logs).run();
    System.exit(t.exitCode());
  }

  SoakTotals run() throws Exception {
    out.println("soak: " + options.describe());
    long endAt = options.minutes() < 0 ? Long.MAX_VALUE
        : System.nanoTime() + TimeUnit.MINUTES.toNanos(options.minutes());
    SoakTotals totals = SoakTotals.NONE;
    Thread cleanup = new Thread(() -> {
      ProxiedGroup c = current;
      if (c != null) {
        close(c);
      }
    }, "soak-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    ProxiedGroup g = null;
    SwitchListener switches = null;
    LoopLag lag = null;
    String master = null;
    try {
      for (int run = 1; run <= options.runs() && System.nanoTime() < endAt; run++) {
        if (g == null) {
          g = ProxiedGroup.start(servers, tracked, 2, 3, 2, options.downAfterMs(),
              options.watcher());
          current = g;
          switches = new SwitchListener(g);
          lag = new LoopLag(g.proxyLoop());
          TimeUnit.MILLISECONDS.sleep(FRESH_GROUP_QUIET_MS);
          master = g.awaitConverged(BOUND);
        }
        String fault = options.faultOf(run);
        RunResult r = oneRun(g, switches, lag, master, fault);
        boolean stalled = r.proxyLagMs >= options.downAfterMs() / 2;
        totals = totals.plus(r.verdict, stalled);
        out.println(line(run, fault, master, r) + (stalled ? " HARNESS-STALL" : ""));
        if (r.verdict.failed() || r.verdict.spurious() > 0 || r.verdict.lostWithWait() > 0) {
          keepLogs(g, run);
        }
        if (r.verdict.failed()) {
          switches.close();
          lag.close();
          close(g);
          g = null;
        } else {
          master = r.finalMaster;
        }
      }
    } finally {
      if (switches != null) {
        switches.close();
        lag.close();
      }
      if (g != null) {
        close(g);
      }
      current = null;
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    if (totals.lostWithoutWait() > 0) {
      out.printf("soak: %d writes acknowledged without WAIT lost (asynchronous replication; not"
          + " counted below)%n", totals.lostWithoutWait());
    }
    if (totals.spuriousWhileStalled() > 0) {
      out.printf("soak: %d of the %d spurious failovers came in runs where the proxies' event loop"
          + " stalled for at least down-after/2 (HARNESS-STALL: every link frozen at once)%n",
          totals.spuriousWhileStalled(), totals.spurious());
    }
    out.println(totals.line());
    return totals;
  }

  /** One run's observations and verdict; times in ms, -1 when it did not happen in the bound. */
  record RunResult(SoakVerdict verdict, String finalMaster, long writableMs, long convergedMs,
      HistoryChecker.Report report, List<SwitchEvent> events, Instant faultAt, long proxyLagMs) {}

  private RunResult oneRun(ProxiedGroup g, SwitchListener switches, LoopLag lag, String master,
      String fault) throws Exception {
    History history = new History();
    List<HistoryWriter> writers = List.of(
        new HistoryWriter("a-plain", ProxiedGroup.CLIENT_A_IP, g, 0, false, history,
            WRITER_PAUSE_MICROS).start(),
        new HistoryWriter("a-wait", ProxiedGroup.CLIENT_A_IP, g, 0, true, history,
            WRITER_PAUSE_MICROS).start(),
        new HistoryWriter("b-plain", ProxiedGroup.CLIENT_B_IP, g, 1, false, history,
            WRITER_PAUSE_MICROS).start(),
        new HistoryWriter("b-wait", ProxiedGroup.CLIENT_B_IP, g, 1, true, history,
            WRITER_PAUSE_MICROS).start());
    long faultAt;
    Instant faultInstant;
    long writableMs = -1;
    long convergedMs = -1;
    String finalMaster = master;
    try {
      try {
        await().atMost(BOUND).until(() -> history.count(master) > 200);
      } catch (ConditionTimeoutException noWritesBeforeTheFault) {
        // The group is not taking writes at all: a failed run, and a fresh group for the next.
        return new RunResult(SoakVerdict.of(master, List.of(), false, false, 0, 0), null, -1, -1,
            null, List.of(), Instant.now(), lag.takeWorstMs());
      }
      // The fault's phase against the watchers' ping period is random.
      TimeUnit.MILLISECONDS.sleep(random.nextInt((int) Math.max(1, options.downAfterMs())));
      faultAt = System.nanoTime();
      faultInstant = Instant.now();
      lag.takeWorstMs();
      switch (fault) {
        case "kill" -> g.node(master).kill9();
        case "stop" -> g.node(master).pause();
        default -> g.partition(Set.of(master));
      }
      long from = faultAt;
      try {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(10)).until(() ->
            history.acks().stream().anyMatch(a -> a.atNanos() > from && !a.node().equals(master)));
        writableMs = (System.nanoTime() - faultAt) / 1_000_000;
      } catch (ConditionTimeoutException noNewMaster) {
        // failed: counted below
      }
      switch (fault) {
        case "kill" -> g.restart(master);
        case "stop" -> g.node(master).resume();
        default -> g.heal();
      }
      long restoredAt = System.nanoTime();
      try {
        g.awaitConverged(BOUND);
        convergedMs = (System.nanoTime() - restoredAt) / 1_000_000;
        TimeUnit.MILLISECONDS.sleep(Math.max(2_000, 3 * options.downAfterMs()));
        finalMaster = g.awaitConverged(BOUND);
      } catch (ConditionTimeoutException | IllegalStateException | java.io.UncheckedIOException
          notConverged) {
        // Not within the bound, or a node's INFO timed out on a machine loaded past it.
        convergedMs = -1;
      }
    } finally {
      for (HistoryWriter w : writers) {
        w.stopAndJoin();
      }
    }
    List<SwitchEvent> events = switches.since(faultAt);
    if (convergedMs < 0) {
      finalMaster = null;
    }
    HistoryChecker.Report report = null;
    if (finalMaster != null) {
      try {
        report = HistoryChecker.check(history, HistoryWriter.contents(g.node(finalMaster)));
      } catch (IllegalStateException | java.io.UncheckedIOException unreadable) {
        convergedMs = -1;
        finalMaster = null;
      }
    }
    SoakVerdict v = SoakVerdict.of(master, events, writableMs >= 0, convergedMs >= 0,
        report == null ? 0 : report.lostWithWait().size(), report == null ? 0 : report.lost().size());
    if (finalMaster != null) {
      // The next run's history starts empty (the DEL replicates before any of its writes).
      try {
        g.node(finalMaster).command("DEL", HistoryWriter.KEY);
      } catch (IllegalStateException | java.io.UncheckedIOException busy) {
        // Only the list grows: the next check compares that run's acks with it all the same.
      }
    }
    return new RunResult(v, finalMaster, writableMs, convergedMs, report, events, faultInstant,
        lag.takeWorstMs());
  }

  private String line(int run, String fault, String master, RunResult r) {
    SoakVerdict v = r.verdict;
    String total = options.runs() == Integer.MAX_VALUE ? "" : "/" + options.runs();
    StringBuilder sb = new StringBuilder(String.format("run %d%s %s %s at %s: ", run, total, fault,
        master, r.faultAt.truncatedTo(ChronoUnit.MILLIS)));
    sb.append(v.failed() ? "FAILED, " : "");
    sb.append(v.failovers()).append(" failover(s) ");
    List<String> seen = new ArrayList<>();
    r.events.forEach(e -> {
      String s = e.from() + "->" + e.to();
      if (!seen.contains(s)) {
        seen.add(s);
      }
    });
    sb.append(seen).append(", ").append(v.spurious()).append(" spurious");
    if (v.spurious() > 0) {
      sb.append(" ").append(v.spuriousSwitches()).append(" SPURIOUS");
    }
    sb.append(String.format(", writable %d ms after the fault, converged %d ms after the restore",
        r.writableMs, r.convergedMs));
    if (r.report != null) {
      sb.append(String.format(", acked %d (WAIT %d), lost %d with WAIT / %d without",
          r.report.acked(), r.report.ackedWithWait(), v.lostWithWait(), v.lostWithoutWait()));
    } else {
      sb.append(", not checked (no converged master)");
    }
    sb.append(", proxy loop lag <= ").append(r.proxyLagMs).append(" ms, load ").append(load());
    return sb.toString();
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private void keepLogs(ProxiedGroup g, int run) {
    try {
      Files.createDirectories(logs);
      for (int i = 0; i < g.daemons.size(); i++) {
        Path f = logs.resolve("run-" + run + "-d" + i + ".log");
        Files.writeString(f, g.daemons.get(i).log());
      }
      for (int i = 0; i < g.nodes.size(); i++) {
        Files.writeString(logs.resolve("run-" + run + "-n" + i + ".log"), g.nodes.get(i).logContents());
      }
      out.println("  logs of run " + run + " in " + logs.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      out.println("  could not keep the logs of run " + run + ": " + e);
    }
  }

  private static void close(ProxiedGroup g) {
    g.close();
    g.daemons.forEach(DaemonProcess::close);
    g.nodes.forEach(ValkeyServer::close);
  }
}
