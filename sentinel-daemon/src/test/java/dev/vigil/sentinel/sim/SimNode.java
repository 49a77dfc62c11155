package dev.vigil.sentinel.sim;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A simulated Valkey node: role, master, replication offset; crashes keep its data. */
final class SimNode {
  final Address address;
  final int priority;
  boolean up = true;
  String runId;
  NodeRole role;
  Address master;
  long offset;
  /** Until when writes are paused (CLIENT PAUSE WRITE), or -1; a restart forgets it. */
  long pausedUntil = -1;
  /** Until when a replica's replication lags (a slow link or disk): its offset stays behind. */
  long lagUntil = -1;
  private int restarts;
  /** How many times it crashed: a promotion checker compares it across a failover. */
  int crashes;

  SimNode(Address address, NodeRole role, Address master, int priority) {
    this.address = address;
    this.role = role;
    this.master = master;
    this.priority = priority;
    this.runId = runIdFor(address, 0);
  }

  /** Unique per node and restart, as Valkey's random run ids are: the daemon tells nodes apart by them. */
  private static String runIdFor(Address a, int restart) {
    return String.format("%020x%020x", a.host().hashCode() & 0xffffffffL, (long) a.port() * 1000 + restart);
  }

  void crash() {
    up = false;
    crashes++;
  }

  void restart() {
    up = true;
    pausedUntil = -1;
    lagUntil = -1;
    runId = runIdFor(address, ++restarts);
  }

  /** REPLICAOF, then CLIENT UNPAUSE when {@code unpause} (one transaction). */
  void replicaOf(Address m, boolean unpause) {
    replicaOf(m);
    if (unpause) {
      pausedUntil = -1;
    }
  }

  boolean paused(long now) {
    return now < pausedUntil;
  }

  /** REPLICAOF: null for NO ONE. */
  void replicaOf(Address m) {
    if (m == null) {
      role = NodeRole.MASTER;
      master = null;
    } else if (!m.equals(address)) {
      role = NodeRole.REPLICA;
      master = m;
    }
  }

  /**
   * FAILOVER TO on a master: writes pause, and once the target has every write the two swap
   * roles; at the timeout the pause lifts and nothing changes. The reply comes at once.
   */
  String failoverTo(Simulation sim, Address target, long timeoutMs) {
    if (role != NodeRole.MASTER) {
      return "ERR FAILOVER requires the node to be a master";
    }
    pausedUntil = Math.max(pausedUntil, sim.now + timeoutMs);
    handOver(sim, target, sim.now + timeoutMs, restarts);
    return "OK";
  }

  private void handOver(Simulation sim, Address target, long deadline, int run) {
    sim.later(10, () -> {
      if (!up || role != NodeRole.MASTER || restarts != run) {
        return;
      }
      SimNode t = sim.node(target);
      if (t != null && t.up && address.equals(t.master) && t.linkUp(sim.nodes)
          && t.offset >= offset) {
        t.replicaOf(null);
        replicaOf(target);
        pausedUntil = -1;
        sim.handedOver();
      } else if (sim.now >= deadline) {
        pausedUntil = -1;
      } else {
        handOver(sim, target, deadline, run);
      }
    });
  }

  boolean linkUp(Map<Address, SimNode> all) {
    SimNode m = master == null ? null : all.get(master);
    return role == NodeRole.REPLICA && m != null && m.up && m.role == NodeRole.MASTER;
  }

  /**
   * Masters take writes; linked replicas follow their master's offset. A write pause stops both
   * (a paused replica holds back its master's replication stream, as Valkey's does).
   */
  void advance(Map<Address, SimNode> all, long now) {
    if (!up || paused(now)) {
      return;
    }
    if (role == NodeRole.MASTER) {
      offset++;
    } else if (linkUp(all) && now >= lagUntil) {
      offset = all.get(master).offset;
    }
  }

  NodeInfo info(Map<Address, SimNode> all) {
    List<NodeInfo.ReplicaLine> replicas = new ArrayList<>();
    if (role == NodeRole.MASTER) {
      for (SimNode n : all.values()) {
        if (n.up && n.role == NodeRole.REPLICA && address.equals(n.master)) {
          replicas.add(new NodeInfo.ReplicaLine(n.address, "online", n.offset));
        }
      }
    }
    boolean link = linkUp(all);
    return new NodeInfo(runId, role, master, link, link ? 0 : 1_000, priority, offset, true,
        replicas, 1, null);
  }
}
