package dev.vigil.sentinel.server;

import dev.vigil.resp3.value.RespMap;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance maps of {@code SENTINEL MASTER(S) / REPLICAS / SENTINELS}: the same field names,
 * order and value types (all bulk strings) as Valkey Sentinel, so every client parses them
 * unchanged (some read fields by position).
 */
final class InstanceReplies {
  private InstanceReplies() {}

  static RespMap master(GroupState g, long now) {
    NodeState m = g.master();
    List<Object> f = new ArrayList<>();
    dev.vigil.sentinel.monitor.Agreement a = g.agreement();
    String flags = flags(m.sdown(), "master", m.link());
    if (a.odown()) {
      flags = flags.replace("master", "o_down,master");
    }
    if (a.failover() != null) {
      flags += ",failover_in_progress";
    }
    common(f, g.name(), m.address(), m.runId(), flags, m.link(), now);
    if (a.failover() != null) {
      f.add("failover-state");
      f.add(a.failover().phase().wireName);
    }
    if (m.sdown()) {
      f.add("s-down-time");
      f.add(now - m.sdownSince());
    }
    if (a.odown()) {
      f.add("o-down-time");
      f.add(now - a.odownSince());
    }
    f.add("down-after-milliseconds");
    f.add(g.spec().downAfter().toMillis());
    roleFields(f, m, now, "master");
    f.addAll(List.of(
        "config-epoch", g.configEpoch(),
        "num-slaves", g.replicas().size(),
        "num-other-sentinels", g.peers().size(),
        "quorum", g.spec().quorum(),
        "failover-timeout", g.spec().failoverTimeout().toMillis(),
        "parallel-syncs", g.spec().parallelSyncs()));
    return Replies.bulkMap(f);
  }

  static RespMap replica(GroupState g, NodeState r, long now) {
    List<Object> f = new ArrayList<>();
    Address a = r.address();
    common(f, a.host() + ":" + a.port(), a, r.runId(), flags(r.sdown(), "slave", r.link()), r.link(), now);
    if (r.sdown()) {
      f.add("s-down-time");
      f.add(now - r.sdownSince());
    }
    f.add("down-after-milliseconds");
    f.add(g.spec().downAfter().toMillis());
    roleFields(f, r, now, "slave");
    NodeInfo i = r.info();
    Address reportedMaster = i == null ? null : i.masterAddress();
    f.addAll(List.of(
        "master-link-down-time", i == null ? 0 : i.masterLinkDownMs(),
        "master-link-status", i != null && i.masterLinkUp() ? "ok" : "err",
        "master-host", reportedMaster == null ? "?" : reportedMaster.host(),
        "master-port", reportedMaster == null ? 0 : reportedMaster.port(),
        "slave-priority", i == null ? 100 : i.priority(),
        "slave-repl-offset", i == null ? 0 : i.replOffset(),
        "replica-announced", i == null || i.announced() ? 1 : 0));
    return Replies.bulkMap(f);
  }

  static RespMap sentinel(GroupState g, PeerState p, long now) {
    List<Object> f = new ArrayList<>();
    common(f, p.runId(), p.address(), p.runId(), flags(p.sdown(), "sentinel", p.link()), p.link(), now);
    if (p.sdown()) {
      f.add("s-down-time");
      f.add(now - p.sdownSince());
    }
    if (p.report() != null && p.report().down()) {
      f.set(9, f.get(9) + ",master_down");
    }
    f.addAll(List.of(
        "down-after-milliseconds", g.spec().downAfter().toMillis(),
        "last-hello-message", p.lastHelloAt() < 0 ? now : now - p.lastHelloAt(),
        "voted-leader", p.votedLeader() == null ? "?" : p.votedLeader(),
        "voted-leader-epoch", p.votedLeaderEpoch()));
    return Replies.bulkMap(f);
  }

  private static void common(List<Object> f, String name, Address a, String runId, String flags,
      Link link, long now) {
    f.addAll(List.of(
        "name", name,
        "ip", a.host(),
        "port", a.port(),
        "runid", runId == null ? "" : runId,
        "flags", flags,
        "link-pending-commands", link.pingPendingSince() >= 0 ? 1 : 0,
        "link-refcount", 1,
        "last-ping-sent", link.pingPendingSince() >= 0 ? now - link.pingPendingSince() : 0,
        "last-ok-ping-reply", now - link.lastOkReplyAt(),
        "last-ping-reply", link.lastReplyAt() < 0 ? now - link.lastOkReplyAt() : now - link.lastReplyAt()));
  }

  private static void roleFields(List<Object> f, NodeState n, long now, String assumed) {
    f.add("info-refresh");
    f.add(n.infoAt() < 0 ? 0 : now - n.infoAt());
    f.add("role-reported");
    // Before the first INFO, Sentinel reports the role the node is configured in.
    f.add(n.role() == NodeRole.UNKNOWN ? assumed : n.role().wireName());
    f.add("role-reported-time");
    f.add(n.roleChangedAt() < 0 ? 0 : now - n.roleChangedAt());
  }

  /** Sentinel's flag order: s_down, o_down, master|slave|sentinel, disconnected, ... */
  private static String flags(boolean sdown, String kind, Link link) {
    StringBuilder sb = new StringBuilder();
    if (sdown) {
      sb.append("s_down,");
    }
    sb.append(kind);
    if (!link.connected()) {
      sb.append(",disconnected");
    }
    return sb.toString();
  }
}
