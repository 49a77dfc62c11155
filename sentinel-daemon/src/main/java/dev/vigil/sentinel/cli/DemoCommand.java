package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: a master, two replicas and three daemons on loopback, with a live status
 * table; Ctrl-C stops everything. The daemons use sentinel.conf files, as a drop-in would.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts a local group (1 master, 2 replicas, 3 daemons) and shows it live.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--down-after", defaultValue = "2000",
      description = "down-after-milliseconds for the demo group (default: ${DEFAULT-VALUE})")
  long downAfter;

  @Option(names = "--seconds", defaultValue = "0",
      description = "stop after this many seconds (0: run until Ctrl-C)")
  long seconds;

  @Override
  public Integer call() throws Exception {
    List<LocalServer> servers = new ArrayList<>();
    List<SentinelDaemon> daemons = new ArrayList<>();
    Path dir = Files.createTempDirectory("vigil-demo-");
    CountDownLatch done = new CountDownLatch(1);
    Runnable stop = () -> {
      daemons.forEach(SentinelDaemon::close);
      servers.forEach(LocalServer::close);
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory
      }
      done.countDown();
    };
    Thread hook = new Thread(stop, "vigil-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    // As in production (and the operator's pods): a master cut off from every replica stops
    // taking writes after 10 s, which bounds what a failover can lose; `vigil diagnose` checks it.
    String[] durable = {"--min-replicas-to-write", "1", "--min-replicas-max-lag", "10"};
    LocalServer master = LocalServer.start(durable);
    servers.add(master);
    for (int i = 0; i < 2; i++) {
      servers.add(LocalServer.start(durable[0], durable[1], durable[2], durable[3],
          "--replicaof", "127.0.0.1", Integer.toString(master.port())));
    }
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    // Every daemon is told the whole list, as the operator does: a daemon without earlier state
    // then ends its quarantine once all three have told it their epochs, not after 5 s.
    StringBuilder peers = new StringBuilder();
    ports.forEach(p -> peers.append("sentinel vigil-peer 127.0.0.1 ").append(p).append('\n'));
    for (int i = 0; i < 3; i++) {
      Path conf = dir.resolve("sentinel-" + i + ".conf");
      Files.writeString(conf, "port " + ports.get(i) + "\nbind 127.0.0.1\n"
          + "sentinel monitor demo 127.0.0.1 " + master.port() + " 2\n"
          + "sentinel down-after-milliseconds demo " + downAfter + "\n"
          + "sentinel failover-timeout demo 10000\n" + peers);
      String http = System.getProperty("vigil.demo.http", "0");
      daemons.add(new SentinelDaemon(ConfigLoader.load(conf, java.util.Map.of("VIGIL_HTTP_PORT", http)),
          Clock.MONOTONIC).start());
    }
    awaitReady(daemons);
    System.out.println();
    System.out.println("Vigil demo group 'demo' on loopback:");
    String[] roles = {"master ", "replica", "replica"};
    for (int i = 0; i < servers.size(); i++) {
      System.out.printf("  %s 127.0.0.1:%d  pid %d%n", roles[i], servers.get(i).port(),
          servers.get(i).pid());
    }
    for (SentinelDaemon d : daemons) {
      System.out.printf("  daemon  127.0.0.1:%d  id %s...%n", d.port(), d.myId().substring(0, 8));
    }
    System.out.printf("Try: redis-cli -p %d SENTINEL get-master-addr-by-name demo%n", daemons.get(0).port());
    System.out.printf("     bin/vigil status -s 127.0.0.1:%d    (and: diagnose, failover demo)%n",
        daemons.get(0).port());
    System.out.printf("Kill the master (kill -9 %d) to watch the daemons fail over to a replica;"
        + " restart nothing, the status below follows. Ctrl-C stops.%n%n", master.pid());
    long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    while (!done.await(2, TimeUnit.SECONDS)) {
      printStatus(daemons);
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (done.getCount() == 0) {
      return 0; // Ctrl-C: the shutdown hook has stopped everything
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    stop.run();
    return 0;
  }

  private static void printStatus(List<SentinelDaemon> daemons) {
    StringBuilder sb = new StringBuilder();
    for (SentinelDaemon d : daemons) {
      GroupState g = d.group("demo");
      String flag = g.agreement().failover() != null
          ? " [FAILOVER " + g.agreement().failover().phase().wireName + "]"
          : g.agreement().odown() ? " [ODOWN]" : g.master().sdown() ? " [SDOWN]" : "";
      sb.append(String.format("daemon :%-5d master %s%s  replicas %d%s  peers %d  epoch %d%n",
          d.port(), g.masterAddress(), flag,
          g.replicas().size(), downReplicas(g), g.peers().size(), d.currentEpoch()));
    }
    System.out.print(sb);
    System.out.println();
  }

  private static String downReplicas(GroupState g) {
    long down = g.replicas().values().stream().filter(NodeState::sdown).count();
    return down == 0 ? "" : " (" + down + " down)";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Waits until a kill of the master can be failed over: every daemon knows both replicas (from
   * the master's INFO) and both peers (from hellos), and no daemon abstains any more (a daemon
   * without earlier state sits out elections until every listed daemon has told it its epoch,
   * or for vigil.failover.fresh-identity-quarantine).
   * A master killed before that leaves the daemons nothing to promote, as with Sentinel.
   */
  private static void awaitReady(List<SentinelDaemon> daemons) throws InterruptedException {
    System.out.println("Waiting until the daemons know the replicas and each other...");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean ready = daemons.stream().allMatch(d -> {
        GroupState g = d.group("demo");
        return g != null && g.replicas().size() == 2 && g.peers().size() == daemons.size() - 1
            && g.replicas().values().stream().allMatch(r -> r.info() != null && r.info().masterLinkUp())
            && !d.abstaining();
      });
      if (ready) {
        return;
      }
      Thread.sleep(100);
    }
    System.out.println("(the daemons have not settled after 30 s; a failover may not be possible yet)");
  }
}
