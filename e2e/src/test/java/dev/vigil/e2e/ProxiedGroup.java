package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.proxy.FaultProxy;
import dev.vigil.e2e.proxy.SocketOwners;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A group wired through fault proxies: one {@link FaultProxy} in front of every node and every
 * daemon, and every link goes through them. Replicas replicate from the master's proxy and
 * announce their own ({@code replica-announce-ip/port}), so the master's INFO lists proxy
 * addresses; daemons monitor the master's proxy and announce their own in hello messages
 * ({@code sentinel announce-ip/port}), so peers connect through proxies too. Each proxy knows the
 * source of each connection (node {@code n0..}, daemon {@code d0..}, clients {@code client-a}
 * bound to 127.0.0.2 and {@code client-b} to 127.0.0.3), so any (source, target) link can be cut.
 *
 * <p>Nodes run Vigil's recommended settings: min-replicas-to-write 1, min-replicas-max-lag 10.
 */
final class ProxiedGroup implements AutoCloseable {
  static final String GROUP = "mymaster";
  static final int MIN_REPLICAS_MAX_LAG_S = 10;
  static final String CLIENT_A = "client-a";
  static final String CLIENT_A_IP = "127.0.0.2";
  static final String CLIENT_B = "client-b";
  static final String CLIENT_B_IP = "127.0.0.3";

  /**
   * The proxies' one thread, at the highest Java priority: with {@code -XX:ThreadPriorityPolicy=1}
   * as root (bin/soak, the e2e tests) that is nice -5 for this thread alone, so a CPU hog at nice 0
   * slows the watchers under test rather than every link at once; processes started from other
   * threads keep nice 0.
   */
  private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
      new DefaultThreadFactory("fault-proxy", true, Thread.MAX_PRIORITY), NioIoHandler.newFactory());
  private final SocketOwners owners = new SocketOwners();
  /** Proxies by the name of their target: n0.., d0... */
  private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
  final List<ValkeyServer> nodes = new ArrayList<>();
  final List<DaemonProcess> daemons = new ArrayList<>();
  final long downAfterMs;

  private ProxiedGroup(long downAfterMs) {
    this.downAfterMs = downAfterMs;
    owners.registerAddress(CLIENT_A_IP, CLIENT_A);
    owners.registerAddress(CLIENT_B_IP, CLIENT_B);
    owners.registerProcess(ProcessHandle.current().pid(), "test");
  }

  /** A master {@code n0}, {@code replicas} replicas and {@code n} daemons, all discovered. */
  static ProxiedGroup start(ValkeyServers servers, DaemonProcesses tracked, int replicas, int n,
      int quorum, long downAfterMs) {
    return start(servers, tracked, replicas, n, quorum, downAfterMs, WatcherKind.VIGIL);
  }

  /** As above, with {@code kind} as the daemons (Vigil with some JVM options, or Sentinel). */
  static ProxiedGroup start(ValkeyServers servers, DaemonProcesses tracked, int replicas, int n,
      int quorum, long downAfterMs, WatcherKind kind) {
    ProxiedGroup g = new ProxiedGroup(downAfterMs);
    try {
      for (int i = 0; i <= replicas; i++) {
        ValkeyServer s = servers.start();
        String name = "n" + i;
        FaultProxy p = g.proxy(name, s.host(), s.port());
        g.owners.registerProcess(s.pid(), name);
        s.command("CONFIG", "SET", "min-replicas-to-write", "1");
        s.command("CONFIG", "SET", "min-replicas-max-lag", Integer.toString(MIN_REPLICAS_MAX_LAG_S));
        s.command("CONFIG", "SET", "replica-announce-ip", "127.0.0.1");
        s.command("CONFIG", "SET", "replica-announce-port", Integer.toString(p.port()));
        // Kept in its file, so that a node restarted after kill -9 still announces its proxy.
        s.command("CONFIG", "REWRITE");
        g.nodes.add(s);
      }
      int masterProxy = g.proxies.get("n0").port();
      for (ValkeyServer r : g.nodes.subList(1, g.nodes.size())) {
        r.command("REPLICAOF", "127.0.0.1", Integer.toString(masterProxy));
      }
      g.nodes.subList(1, g.nodes.size()).forEach(ValkeyServer::awaitReplicationLinkUp);
      for (int i = 0; i < n; i++) {
        String name = "d" + i;
        // The proxy binds first, so the daemon's port, picked next, cannot be the proxy's.
        FaultProxy p = g.proxy(name, "127.0.0.1", 0);
        int port = DaemonProcess.freePort();
        p.retarget(new InetSocketAddress("127.0.0.1", port));
        DaemonProcess d = tracked.track(DaemonProcess.start(kind, GROUP, "127.0.0.1", masterProxy, quorum,
            downAfterMs, port, List.of("sentinel announce-ip 127.0.0.1",
                "sentinel announce-port " + p.port())));
        g.owners.registerProcess(d.pid(), name);
        g.daemons.add(d);
      }
      DaemonProcesses.awaitDiscovered(g.daemons, GROUP, replicas);
      return g;
    } catch (IOException e) {
      g.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private FaultProxy proxy(String name, String host, int port) {
    FaultProxy p = FaultProxy.start(name, new InetSocketAddress(host, port), owners, loop);
    proxies.put(name, p);
    return p;
  }

  /** The event loop every proxy runs on: a stall there is a stall of every link at once. */
  EventLoopGroup proxyLoop() {
    return loop;
  }

  /** Every source a link can come from. */
  private List<String> sources() {
    List<String> out = new ArrayList<>(proxies.keySet());
    out.addAll(List.of(CLIENT_A, CLIENT_B, "test", SocketOwners.UNKNOWN));
    return out;
  }

  /**
   * A partition: {@code side} (names of nodes, daemons, clients) is cut off both ways from
   * everything else; links inside each side stay up. Adds to cuts already in place.
   */
  void partition(Set<String> side) {
    for (Map.Entry<String, FaultProxy> e : proxies.entrySet()) {
      boolean targetIn = side.contains(e.getKey());
      for (String s : sources()) {
        if (side.contains(s) != targetIn) {
          e.getValue().from(s).cut();
        }
      }
      e.getValue().changed();
    }
  }

  /** Cuts the links between {@code a} and {@code b} both ways (both are node or daemon names). */
  void cutBetween(String a, String b) {
    proxies.get(b).from(a).cut();
    proxies.get(a).from(b).cut();
    proxies.get(a).changed();
    proxies.get(b).changed();
  }

  /**
   * An asymmetric partition: {@code target} still receives from every source but {@code except},
   * yet nothing it sends on those links arrives (its replies, and the FINs of connections it
   * closes, are held).
   */
  void muteTowardsAllBut(String target, Set<String> except) {
    FaultProxy p = proxies.get(target);
    for (String s : sources()) {
      if (!except.contains(s)) {
        p.from(s).cutFromTarget();
      }
    }
    p.changed();
  }

  /** Adds {@code millis} (plus jitter) each way on every daemon-to-daemon link. */
  void delayBetweenDaemons(long millis, long jitterMillis) {
    for (int i = 0; i < daemons.size(); i++) {
      for (int j = 0; j < daemons.size(); j++) {
        if (i != j) {
          proxies.get("d" + i).from("d" + j).latency(millis, jitterMillis);
        }
      }
    }
  }

  /** Restarts node {@code name} after kill -9; its new process is still known by its name. */
  void restart(String name) {
    ValkeyServer s = node(name);
    s.restart();
    owners.registerProcess(s.pid(), name);
  }

  void heal() {
    proxies.values().forEach(FaultProxy::healAll);
  }

  /** The node behind a proxy port, or null. */
  String nodeAtProxyPort(int port) {
    for (int i = 0; i < nodes.size(); i++) {
      if (proxies.get("n" + i).port() == port) {
        return "n" + i;
      }
    }
    return null;
  }

  ValkeyServer node(String name) {
    return nodes.get(Integer.parseInt(name.substring(1)));
  }

  /** The node daemon {@code i} reports as master, or null when it does not answer. */
  String reportedBy(int i) {
    try {
      List<Object> a = daemons.get(i).masterAddress(GROUP);
      return a == null || a.size() < 2 ? null : nodeAtProxyPort(Integer.parseInt((String) a.get(1)));
    } catch (RuntimeException unexpectedReply) {
      return null;
    }
  }

  /** The nodes that say they are master, asked directly (not through the proxies). */
  List<String> selfDeclaredMasters() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        if ("master".equals(nodes.get(i).info("replication").get("role"))) {
          out.add("n" + i);
        }
      } catch (RuntimeException unreachable) {
        // a stopped node says nothing
      }
    }
    return out;
  }

  /**
   * Converged: exactly one node says it is master, every daemon reports it, and every other node
   * replicates from it with its link up. Returns that node's name.
   */
  String awaitConverged(Duration atMost) {
    String[] master = new String[1];
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      List<String> ms = selfDeclaredMasters();
      if (ms.size() != 1) {
        return false;
      }
      String m = ms.get(0);
      for (int i = 0; i < daemons.size(); i++) {
        if (!m.equals(reportedBy(i))) {
          return false;
        }
      }
      String proxyPort = Integer.toString(proxies.get(m).port());
      for (int i = 0; i < nodes.size(); i++) {
        if (!("n" + i).equals(m)) {
          Map<String, String> r = nodes.get(i).info("replication");
          if (!proxyPort.equals(r.get("master_port")) || !"up".equals(r.get("master_link_status"))) {
            return false;
          }
        }
      }
      master[0] = m;
      return true;
    });
    return master[0];
  }

  @Override
  public void close() {
    proxies.values().forEach(FaultProxy::close);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
