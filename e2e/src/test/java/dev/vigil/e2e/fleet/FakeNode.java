package dev.vigil.e2e.fleet;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** One node of the fleet: its role, its master, its clients. Only on the fleet's loop. */
final class FakeNode {
  private static final SplittableRandom IDS = new SplittableRandom(17);

  final FakeFleet fleet;
  final int port;
  final String runId = hex40();
  private final Channel server;
  private final Set<Channel> clients = new HashSet<>();
  /** Subscribed channels of each client connection, in subscription order. */
  private final Map<Channel, Set<String>> subscriptions = new LinkedHashMap<>();
  private String replId = hex40();
  private Integer masterPort;
  private boolean alive = true;
  private long diedAtOffset = -1;
  private long diedAtNanos;
  private long lastPingAt = System.nanoTime() - Long.MAX_VALUE / 2;

  FakeNode(FakeFleet fleet, int port, Channel server, Integer masterPort) {
    this.fleet = fleet;
    this.port = port;
    this.server = server;
    this.masterPort = masterPort;
  }

  private static synchronized String hex40() {
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      sb.append(Character.forDigit(IDS.nextInt(16), 16));
    }
    return sb.toString();
  }

  boolean alive() {
    return alive;
  }

  boolean isMaster() {
    return masterPort == null;
  }

  Integer masterPort() {
    return masterPort;
  }

  long lastPingAt() {
    return lastPingAt;
  }

  void pinged(long nanos) {
    lastPingAt = nanos;
  }

  void connected(Channel ch) {
    if (!alive) {
      ch.close();
      return;
    }
    clients.add(ch);
  }

  void disconnected(Channel ch) {
    clients.remove(ch);
    subscriptions.remove(ch);
  }

  /** REPLICAOF NO ONE ({@code port} null) or REPLICAOF 127.0.0.1 port. */
  void replicaOf(Integer port) {
    if (port == null && masterPort != null) {
      replId = hex40();
    }
    masterPort = port;
  }

  void kill() {
    if (!alive) {
      return;
    }
    diedAtOffset = offset();
    diedAtNanos = System.nanoTime();
    alive = false;
    server.close();
    new ArrayList<>(clients).forEach(Channel::close);
  }

  private FakeNode master() {
    return masterPort == null ? null : fleet.node(masterPort);
  }

  private boolean linkUp() {
    FakeNode m = master();
    return m != null && m.alive;
  }

  /** A live master's offset is the fleet's clock; a replica's stops when its master died. */
  long offset() {
    if (!alive) {
      return diedAtOffset;
    }
    FakeNode m = master();
    if (m == null) {
      return fleet.clockOffset();
    }
    return m.alive ? m.offset() : m.diedAtOffset;
  }

  /** The live nodes configured to replicate from this one (the fleet replicates nothing). */
  List<FakeNode> replicas() {
    List<FakeNode> rs = new ArrayList<>();
    for (FakeNode n : fleet.nodes()) {
      if (n.alive && n.masterPort != null && n.masterPort == port) {
        rs.add(n);
      }
    }
    return rs;
  }

  /** INFO's default sections, as much of them as a Sentinel reads. */
  String info() {
    List<FakeNode> replicas = isMaster() ? replicas() : List.of();
    StringBuilder sb = new StringBuilder(1024);
    sb.append("# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\nprocess_id:")
        .append(port).append("\r\nrun_id:").append(runId).append("\r\ntcp_port:").append(port)
        .append("\r\nuptime_in_seconds:").append(fleet.clockOffset() / 1000).append("\r\n\r\n");
    sb.append("# Clients\r\nconnected_clients:").append(clients.size()).append("\r\n\r\n");
    sb.append("# Persistence\r\nloading:0\r\n\r\n");
    sb.append("# Replication\r\n");
    long offset = offset();
    if (isMaster()) {
      sb.append("role:master\r\nconnected_slaves:").append(replicas.size()).append("\r\n");
      for (int i = 0; i < replicas.size(); i++) {
        sb.append("slave").append(i).append(":ip=127.0.0.1,port=").append(replicas.get(i).port)
            .append(",state=online,offset=").append(offset).append(",lag=0\r\n");
      }
    } else {
      boolean up = linkUp();
      sb.append("role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:").append(masterPort)
          .append("\r\nmaster_link_status:").append(up ? "up" : "down")
          .append("\r\nmaster_last_io_seconds_ago:").append(up ? 0 : -1)
          .append("\r\nmaster_sync_in_progress:0\r\nslave_read_repl_offset:").append(offset)
          .append("\r\nslave_repl_offset:").append(offset).append("\r\n");
      if (!up) {
        FakeNode m = master();
        long since = m == null ? 0 : (System.nanoTime() - m.diedAtNanos) / 1_000_000_000L;
        sb.append("master_link_down_since_seconds:").append(since).append("\r\n");
      }
      sb.append("slave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\n"
          + "connected_slaves:0\r\n");
    }
    sb.append("master_failover_state:no-failover\r\nmaster_replid:").append(replId)
        .append("\r\nmaster_replid2:0000000000000000000000000000000000000000\r\n"
            + "master_repl_offset:").append(offset).append("\r\nsecond_repl_offset:-1\r\n"
            + "repl_backlog_active:1\r\nrepl_backlog_size:1048576\r\n"
            + "repl_backlog_first_byte_offset:1\r\nrepl_backlog_histlen:").append(offset)
        .append("\r\n\r\n# Keyspace\r\n");
    return sb.toString();
  }

  Map<Channel, Set<String>> subscriptions() {
    return subscriptions;
  }
}
