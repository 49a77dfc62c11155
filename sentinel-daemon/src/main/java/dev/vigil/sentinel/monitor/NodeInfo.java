package dev.vigil.sentinel.monitor;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.sentinel.config.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of a node's {@code INFO} a daemon acts on.
 *
 * @param runId changes when the process restarts ({@code +reboot})
 * @param role master or replica
 * @param masterAddress for a replica: the master it replicates from
 * @param masterLinkUp for a replica: {@code master_link_status:up}
 * @param masterLinkDownMs for a replica: how long its link has been down (0 when up)
 * @param priority {@code slave_priority}; 0 = never promote
 * @param replOffset {@code slave_repl_offset} for a replica, {@code master_repl_offset} for a master
 * @param announced {@code replica_announced}: unannounced replicas are hidden from clients
 * @param replicas for a master: the replicas it lists
 * @param keys keys in all databases ({@code # Keyspace}), or -1 when INFO had no such section
 * @param raw the INFO text as received (for SENTINEL INFO-CACHE), or null
 */
public record NodeInfo(
    String runId,
    NodeRole role,
    Address masterAddress,
    boolean masterLinkUp,
    long masterLinkDownMs,
    int priority,
    long replOffset,
    boolean announced,
    List<ReplicaLine> replicas,
    long keys,
    String raw) {

  /** One {@code slaveN:ip=...,port=...,state=...,offset=...,lag=...} line of a master's INFO. */
  public record ReplicaLine(Address address, String state, long offset) {}

  public NodeInfo {
    replicas = List.copyOf(replicas);
  }

  public static NodeInfo parse(String raw) {
    NodeInfo i = parse(InfoReply.parse(raw));
    return new NodeInfo(i.runId, i.role, i.masterAddress, i.masterLinkUp, i.masterLinkDownMs,
        i.priority, i.replOffset, i.announced, i.replicas, i.keys, raw);
  }

  public static NodeInfo parse(InfoReply info) {
    Map<String, String> r = info.section("replication");
    String role = r.getOrDefault("role", "");
    NodeRole nodeRole = switch (role) {
      case "master" -> NodeRole.MASTER;
      case "slave", "replica" -> NodeRole.REPLICA;
      default -> NodeRole.UNKNOWN;
    };
    Address master = null;
    String mh = r.get("master_host");
    String mp = r.get("master_port");
    if (mh != null && mp != null) {
      try {
        master = Address.parse(mh, mp);
      } catch (IllegalArgumentException ignored) {
        // a replica with no valid master yet
      }
    }
    long linkDown = 0;
    String downSince = r.get("master_link_down_since_seconds");
    if (downSince != null && !downSince.equals("-1")) {
      linkDown = parseLong(downSince, 0) * 1000;
    }
    List<ReplicaLine> replicas = new ArrayList<>();
    for (Map.Entry<String, String> e : r.entrySet()) {
      if (!isReplicaField(e.getKey())) {
        continue;
      }
      Map<String, String> f = InfoReply.fields(e.getValue());
      // Valkey 8 lists the RDB channel of a dual-channel sync as a second "replica": not one.
      if (f.containsKey("type") && !f.get("type").equals("replica")) {
        continue;
      }
      try {
        replicas.add(new ReplicaLine(Address.parse(f.get("ip"), f.get("port")),
            f.getOrDefault("state", "?"), parseLong(f.get("offset"), 0)));
      } catch (RuntimeException ignored) {
        // a malformed line is skipped, as Sentinel does
      }
    }
    String priority = r.getOrDefault("slave_priority", r.getOrDefault("replica_priority", "100"));
    long offset = nodeRole == NodeRole.MASTER
        ? parseLong(r.get("master_repl_offset"), 0)
        : parseLong(r.get("slave_repl_offset"), 0);
    String runId = info.field("server", "run_id");
    return new NodeInfo(runId != null ? runId : info.get("run_id"), nodeRole, master,
        "up".equals(r.get("master_link_status")), linkDown, (int) parseLong(priority, 100), offset,
        !"0".equals(r.get("replica_announced")), replicas, keys(info), null);
  }

  /**
   * {@code slaveN}: checked by hand because this runs for every field of every INFO of every node,
   * and {@code String.matches} compiled a regex each time (a quarter of a 500-group daemon's
   * allocation).
   */
  static boolean isReplicaField(String key) {
    if (key.length() <= 5 || !key.startsWith("slave")) {
      return false;
    }
    for (int i = 5; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Total keys over {@code dbN:keys=...} lines; 0 for an empty keyspace section, -1 without one. */
  private static long keys(InfoReply info) {
    // While loading a dataset from disk the keyspace is not final: unknown, not empty.
    // "loading" is a persistence field: looked up there, not by splitting every section before it.
    String loading = info.sections().containsKey("persistence")
        ? info.field("persistence", "loading") : info.get("loading");
    if (!info.sections().containsKey("keyspace") || "1".equals(loading)) {
      return -1;
    }
    long total = 0;
    for (String v : info.section("keyspace").values()) {
      total += parseLong(InfoReply.fields(v).get("keys"), 0);
    }
    return total;
  }

  private static long parseLong(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
