package dev.vigil.e2e;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ServerBinary;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failover benchmark (not a test): Vigil's daemons and Valkey/Redis Sentinel on the same
 * loopback topology (a master, two replicas, three daemons, quorum 2, the same down-after),
 * alternating trial by trial, for kill -9 and SIGSTOP of the master. Per trial it measures, from
 * the fault: the first {@code +switch-master} any daemon publishes, the first write the new master
 * acknowledges (to a client that follows {@code +switch-master}, or to one that re-resolves the
 * master after an error, whichever is first), and how many acknowledged writes (no WAIT) the new
 * master lacks at the end, and how long the old master takes to become a replica once it is back
 * (resumed after SIGSTOP, restarted after kill -9). Warm faults come at least 6 s after the
 * daemons start, past Vigil's fresh-identity quarantine (5 s), so both systems are measured in
 * their steady state; with {@code --cold} the same trials also run with the three daemons started
 * at once without state (a new group, or every pod restarted) and the fault 1-3 s after they
 * have found each other, inside Vigil's quarantine, printed beside them. Vigil's daemons are
 * given the complete list of daemons ({@code sentinel vigil-peer}), as the operator gives it, so
 * their quarantine ends on the peers' answers; {@code --cold-without-list} adds cold trials of
 * Vigil without the list, where the quarantine ends by time.
 *
 * <p>Run with {@code bin/bench-failover [--cold] [--cold-without-list] [trials] [down-after-ms]}
 * (defaults 10 and 1000).
 */
public final class FailoverBenchmark {
  private static final String NAME = "bench";
  /** Cold trials of Vigil without the list of daemons: the quarantine ends by time. */
  private static final String COLD_WITHOUT_LIST = "cold-nolist";
  /** Warm trials with TLS on every link (nodes, replication, daemons, clients), mutual TLS. */
  private static final String TLS = "warm-tls";

  /**
   * One trial's figures in ms after the fault (demotion: after the old master is back); -1 when
   * it did not happen within the trial's bounds.
   */
  record Trial(String system, String mode, String fault, long switchMs, long writableMs, long lost,
      long demoteMs) {}

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(List.of(argv));
    boolean cold = args.remove("--cold");
    boolean coldWithoutList = args.remove("--cold-without-list");
    boolean tls = args.remove("--tls");
    int trials = args.size() > 0 ? Integer.parseInt(args.get(0)) : 10;
    long downAfter = args.size() > 1 ? Long.parseLong(args.get(1)) : 1_000;
    boolean sentinel = ServerBinary.hasSentinel();
    if (!sentinel) {
      System.out.println("no redis-sentinel/valkey-sentinel on PATH: measuring Vigil alone");
    }
    List<Trial> results = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(2026);
    List<String> modes = new ArrayList<>(List.of("warm"));
    if (cold) {
      modes.add("cold");
    }
    if (coldWithoutList) {
      modes.add(COLD_WITHOUT_LIST);
    }
    if (tls) {
      modes.add(TLS);
    }
    for (String mode : modes) {
      for (String fault : List.of("kill9", "sigstop")) {
        for (int i = 0; i < trials; i++) {
          for (String system : sentinel && !mode.equals(COLD_WITHOUT_LIST)
              ? List.of("vigil", "sentinel") : List.of("vigil")) {
            long phase = mode.equals("warm") ? 1_000 + random.nextInt(1_000) : random.nextInt(2_000);
            Trial t = runTrial(system, mode, fault, downAfter, phase);
            results.add(t);
            System.out.printf(Locale.ROOT, "%-8s %-11s %-7s trial %2d: +switch-master %6d ms,"
                + " writable %6d ms, lost %d, old master a replica %6d ms after it is back%n",
                system, mode, fault, i + 1, t.switchMs, t.writableMs, t.lost, t.demoteMs);
          }
        }
      }
    }
    printTable(results, downAfter);
    if (tls) {
      for (String fault : List.of("kill9", "sigstop")) {
        for (String system : List.of("vigil", "sentinel")) {
          long[] plain = stats(results.stream().filter(t -> t.system.equals(system)
              && t.mode.equals("warm") && t.fault.equals(fault)).toList(), t -> t.switchMs);
          long[] over = stats(results.stream().filter(t -> t.system.equals(system)
              && t.mode.equals(TLS) && t.fault.equals(fault)).toList(), t -> t.switchMs);
          System.out.printf(Locale.ROOT, "%s %s: +switch-master median with TLS / plaintext = %d / %d ms%n",
              system, fault, over[0], plain[0]);
        }
      }
    }
  }

  /**
   * Warm: the fault comes 6 s after the daemons start plus {@code phaseMs}, writes running for
   * at least a second. Cold: 1 s plus {@code phaseMs} after the daemons have found each other.
   */
  private static Trial runTrial(String system, String mode, String fault, long downAfter,
      long phaseMs) throws Exception {
    List<ValkeyServer> nodes = new ArrayList<>();
    List<AutoCloseable> daemons = new ArrayList<>();
    long daemonsStartedAt = System.nanoTime();
    java.nio.file.Path certDir = java.nio.file.Files.createTempDirectory("vigil-bench-tls-");
    TlsFiles tls = mode.equals(TLS)
        ? TestCertificates.authority("vigil-bench-ca").writeLoopback(certDir, "node") : null;
    Dial dial = tls == null ? Dial.PLAIN : new Dial(tls.clientContext().getSocketFactory());
    try {
      ValkeyServer master = ValkeyServer.builder().name("master").tls(tls).start();
      nodes.add(master);
      for (int i = 0; i < 2; i++) {
        ValkeyServer r = ValkeyServer.builder().name("replica").tls(tls).start();
        r.replicaOf(master);
        nodes.add(r);
      }
      nodes.subList(1, 3).forEach(ValkeyServer::awaitReplicationLinkUp);
      boolean warm = mode.equals("warm") || mode.equals(TLS);
      long launchedAt = System.nanoTime();
      List<Integer> ports = startDaemons(system, mode, master, downAfter, daemons, tls);
      long upAt = System.nanoTime();
      awaitDiscovery(ports, dial);
      // Cold: 1-3 s after every daemon answers (not before they have found each other), while a
      // fresh daemon's 5 s quarantine, counted from its launch, still runs.
      long faultAt0 = warm ? daemonsStartedAt + TimeUnit.SECONDS.toNanos(6)
          + TimeUnit.MILLISECONDS.toNanos(1_000 + phaseMs)
          : Math.max(System.nanoTime(), upAt + TimeUnit.MILLISECONDS.toNanos(1_000 + phaseMs));
      AtomicLong switchAt = new AtomicLong(-1);
      AtomicLong newMasterPort = new AtomicLong(-1);
      List<Thread> listeners = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      for (int p : ports) {
        listeners.add(listen(p, switchAt, newMasterPort, stop, dial));
      }
      // About 400 writes per second, as the reference's measurements used.
      SequenceWriter writer = new SequenceWriter(ports.get(0), NAME, false, 2_500, dial);
      Thread w = writer.start();
      long untilFault = faultAt0 - System.nanoTime();
      if (untilFault > 0) {
        TimeUnit.NANOSECONDS.sleep(untilFault);
      }
      long faultAt = System.nanoTime();
      if (!warm) {
        System.out.printf(Locale.ROOT, "  (cold: daemons launched, answering after %d ms, fault at %d ms)%n",
            ms(upAt, launchedAt), ms(faultAt, launchedAt));
      }
      writer.faultFromPort.set(master.port());
      if (fault.equals("kill9")) {
        master.kill9();
      } else {
        master.pause();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      AtomicLong followerAckAt = new AtomicLong(-1);
      Thread follower = null;
      while ((switchAt.get() < 0 || writer.newMasterAckAt.get() < 0) && System.nanoTime() < deadline) {
        if (follower == null && newMasterPort.get() > 0) {
          follower = follow((int) newMasterPort.get(), followerAckAt, deadline, dial);
        }
        TimeUnit.MILLISECONDS.sleep(1);
      }
      if (follower != null) {
        follower.join(1_000);
      }
      TimeUnit.MILLISECONDS.sleep(2_000);
      if (fault.equals("sigstop")) {
        master.resume();
      } else {
        master.restart();
      }
      long backAt = System.nanoTime();
      long demotedAt = awaitReplica(master, backAt + TimeUnit.SECONDS.toNanos(30));
      TimeUnit.MILLISECONDS.sleep(1_000);
      writer.stop.set(true);
      stop.set(true);
      w.join(5_000);
      long lost = lost(writer, nodes, ports.get(0), dial);
      long writable = firstOf(writer.newMasterAckAt.get(), followerAckAt.get());
      return new Trial(system, mode, fault, ms(switchAt.get(), faultAt), ms(writable, faultAt),
          lost, ms(demotedAt, backAt));
    } finally {
      for (AutoCloseable d : daemons) {
        d.close();
      }
      nodes.forEach(ValkeyServer::close);
      dev.vigil.testkit.TempDirs.delete(certDir);
    }
  }

  /**
   * Three daemons watching {@code master}; for the cold modes all three are launched at once, as
   * when a new group's pods start together. Vigil's know the complete list of daemons except in
   * {@link #COLD_WITHOUT_LIST}.
   */
  private static List<Integer> startDaemons(String system, String mode, ValkeyServer master,
      long downAfter, List<AutoCloseable> daemons, TlsFiles tls) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports.add(DaemonProcess.freePort());
    }
    List<String> peers = mode.equals(COLD_WITHOUT_LIST) ? List.of()
        : ports.stream().map(p -> "sentinel vigil-peer 127.0.0.1 " + p).toList();
    List<java.util.concurrent.Callable<AutoCloseable>> starts = new ArrayList<>();
    for (int port : ports) {
      WatcherKind kind = system.equals("vigil") ? WatcherKind.VIGIL : WatcherKind.REDIS_SENTINEL;
      List<String> lines = system.equals("vigil") ? peers : List.of();
      starts.add(() -> DaemonProcess.start(kind, NAME, master.host(), master.port(), 2, downAfter,
          port, lines, tls));
    }
    if (!mode.startsWith("cold")) {
      for (var start : starts) {
        daemons.add(start.call());
      }
    } else {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        for (var f : pool.invokeAll(starts)) {
          daemons.add(f.get());
        }
      } finally {
        pool.shutdown();
      }
    }
    return ports;
  }

  /** When the node first reports {@code role:slave} (polled every 5 ms), or -1 by the deadline. */
  private static long awaitReplica(ValkeyServer node, long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      try (AdminConnection c = node.admin(500)) {
        while (System.nanoTime() < deadline) {
          if (String.valueOf(c.command("INFO", "replication")).contains("role:slave")) {
            return System.nanoTime();
          }
          TimeUnit.MILLISECONDS.sleep(5);
        }
      } catch (IOException | RuntimeException notYet) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
    }
    return -1;
  }

  private static long firstOf(long a, long b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  /**
   * A client that learned the new master from {@code +switch-master}: connects to it at once and
   * writes until the write is accepted (a replica still finishing its promotion refuses it).
   */
  private static Thread follow(int port, AtomicLong ackAt, long deadline, Dial dial) {
    Thread t = new Thread(() -> {
      while (System.nanoTime() < deadline) {
        try (AdminConnection c = dial.admin("127.0.0.1", port, 200)) {
          while (System.nanoTime() < deadline) {
            try {
              if ("OK".equals(c.command("SET", "bench-follower", "1"))) {
                ackAt.compareAndSet(-1, System.nanoTime());
                return;
              }
            } catch (RuntimeException readOnly) {
              // -READONLY until the promotion lands: ask again
            }
          }
        } catch (IOException | RuntimeException e) {
          // not reachable yet: reconnect
        }
      }
    }, "switch-follower");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long ms(long at, long from) {
    return at < 0 ? -1 : (at - from) / 1_000_000;
  }

  private static void awaitDiscovery(List<Integer> ports, Dial dial) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int p : ports) {
        all &= "2".equals(masterField(p, "num-other-sentinels", dial))
            && "2".equals(masterField(p, "num-slaves", dial));
      }
      if (all) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("daemons did not discover each other");
  }

  @SuppressWarnings("unchecked")
  private static String masterField(int port, String key, Dial dial) {
    try (AdminConnection c = dial.admin("127.0.0.1", port, 1_000)) {
      List<Object> m = (List<Object>) c.command("SENTINEL", "MASTER", NAME);
      int i = m.indexOf(key);
      return i < 0 ? null : (String) m.get(i + 1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Subscribes to +switch-master on a daemon with a raw socket; records the first one seen and
   * the new master's port from its payload ({@code name old-ip old-port new-ip new-port}).
   */
  private static Thread listen(int port, AtomicLong switchAt, AtomicLong newPort,
      AtomicBoolean stop, Dial dial) throws IOException {
    Socket s = dial.socket("127.0.0.1", port);
    s.setSoTimeout(200);
    s.getOutputStream().write("SUBSCRIBE +switch-master\r\n".getBytes(StandardCharsets.US_ASCII));
    Thread t = new Thread(() -> {
      try (s; InputStream in = s.getInputStream()) {
        byte[] buf = new byte[4096];
        StringBuilder seen = new StringBuilder();
        while (!stop.get()) {
          try {
            int n = in.read(buf);
            if (n < 0) {
              return;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            int at = seen.indexOf(NAME + " ");
            if (seen.indexOf("message") >= 0 && at >= 0) {
              int end = seen.indexOf("\r\n", at);
              if (end > 0) {
                switchAt.compareAndSet(-1, System.nanoTime());
                String[] w = seen.substring(at, end).split(" ");
                newPort.compareAndSet(-1, Long.parseLong(w[w.length - 1]));
              }
            }
          } catch (java.net.SocketTimeoutException idle) {
            // keep listening
          }
        }
      } catch (IOException e) {
        // daemon gone
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The acknowledged writes the master the daemon reports lacks, or -1 if it cannot be read. */
  private static long lost(SequenceWriter w, List<ValkeyServer> nodes, int daemonPort, Dial dial) {
    List<Object> a = SequenceWriter.masterAddress(daemonPort, NAME, dial);
    if (a == null) {
      return -1;
    }
    return nodes.stream().filter(n -> Integer.toString(n.port()).equals(a.get(1))).findFirst()
        .map(n -> (long) w.lostOn(n).size()).orElse(-1L);
  }

  private static void printTable(List<Trial> results, long downAfter) {
    System.out.println();
    System.out.printf("down-after-milliseconds = %d; times in ms after the fault%n", downAfter);
    System.out.println("demoted: from the old master's return (SIGCONT, or restart after kill -9)"
        + " to its role:slave");
    System.out.printf("%-8s %-11s %-7s %18s %18s %16s %18s%n", "system", "mode", "fault",
        "+switch-master", "writable", "acked lost", "demoted");
    System.out.printf("%-8s %-11s %-7s %18s %18s %16s %18s%n", "", "", "", "median / max",
        "median / max", "median / max", "median / max");
    Map<String, Long> medians = new LinkedHashMap<>();
    for (String mode : List.of("warm", TLS, "cold", COLD_WITHOUT_LIST)) {
      for (String fault : List.of("kill9", "sigstop")) {
        for (String system : List.of("vigil", "sentinel")) {
          List<Trial> ts = results.stream().filter(t -> t.system.equals(system)
              && t.mode.equals(mode) && t.fault.equals(fault)).toList();
          if (ts.isEmpty()) {
            continue;
          }
          long[] sw = stats(ts, t -> t.switchMs);
          long[] wr = stats(ts, t -> t.writableMs);
          long[] lo = stats(ts, t -> t.lost);
          long[] de = stats(ts, t -> t.demoteMs);
          medians.put(system + " " + mode + " " + fault, sw[0]);
          System.out.printf("%-8s %-11s %-7s %9d / %6d %9d / %6d %8d / %5d %9d / %6d%n", system,
              mode, fault, sw[0], sw[1], wr[0], wr[1], lo[0], lo[1], de[0], de[1]);
        }
      }
    }
    for (String mode : List.of("warm", TLS, "cold")) {
      for (String fault : List.of("kill9", "sigstop")) {
        Long v = medians.get("vigil " + mode + " " + fault);
        Long s = medians.get("sentinel " + mode + " " + fault);
        if (v != null && s != null) {
          System.out.printf(Locale.ROOT, "%s %s: +switch-master beyond down-after, Vigil/Sentinel"
              + " = %d / %d ms = %.3f%n", mode, fault, v - downAfter, s - downAfter,
              (double) (v - downAfter) / Math.max(1, s - downAfter));
        }
      }
    }
  }

  private interface Metric {
    long of(Trial t);
  }

  private static long[] stats(List<Trial> ts, Metric m) {
    List<Long> v = new ArrayList<>();
    // A value of -1 (did not happen in time) sorts as the worst.
    ts.forEach(t -> v.add(m.of(t) < 0 ? Long.MAX_VALUE : m.of(t)));
    Collections.sort(v);
    return new long[] {v.get(v.size() / 2), v.get(v.size() - 1)};
  }
}
