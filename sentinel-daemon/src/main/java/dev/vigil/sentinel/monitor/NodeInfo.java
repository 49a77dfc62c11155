package dev.vigil.sentinel.monitor;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.sentinel.config.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    return parse(InfoReply.parse(raw), raw);
  }

  public static NodeInfo parse(InfoReply info) {
    return parse(info, null);
  }

  private static NodeInfo parse(InfoReply info, String raw) {
    // One pass over the replication section's lines, no map: this runs for every INFO of every
    // node. A repeated key keeps its last value, as the map did.
    String role = "";
    String mh = null;
    String mp = null;
    String downSince = null;
    String slavePriority = null;
    String replicaPriority = null;
    String masterOffset = null;
    String slaveOffset = null;
    String linkStatus = null;
    String announced = null;
    List<ReplicaLine> replicas = new ArrayList<>(2);
    InfoReply.Cursor r = info.cursor("replication");
    while (r.next()) {
      if (r.keyIs("role")) {
        role = r.value();
      } else if (r.keyIs("master_host")) {
        mh = r.value();
      } else if (r.keyIs("master_port")) {
        mp = r.value();
      } else if (r.keyIs("master_link_down_since_seconds")) {
        downSince = r.value();
      } else if (r.keyIs("slave_priority")) {
        slavePriority = r.value();
      } else if (r.keyIs("replica_priority")) {
        replicaPriority = r.value();
      } else if (r.keyIs("master_repl_offset")) {
        masterOffset = r.value();
      } else if (r.keyIs("slave_repl_offset")) {
        slaveOffset = r.value();
      } else if (r.keyIs("master_link_status")) {
        linkStatus = r.value();
      } else if (r.keyIs("replica_announced")) {
        announced = r.value();
      } else if (r.keyStartsWith("slave") && isReplicaField(r.key())) {
        ReplicaLine line = replicaLine(r.value());
        if (line != null) {
          replicas.add(line);
        }
      }
    }
    NodeRole nodeRole = switch (role) {
      case "master" -> NodeRole.MASTER;
      case "slave", "replica" -> NodeRole.REPLICA;
      default -> NodeRole.UNKNOWN;
    };
    Address master = null;
    if (mh != null && mp != null) {
      try {
        master = Address.parse(mh, mp);
      } catch (IllegalArgumentException ignored) {
        // a replica with no valid master yet
      }
    }
    long linkDown = 0;
    if (downSince != null && !downSince.equals("-1")) {
      linkDown = parseLong(downSince, 0) * 1000;
    }
    String priority = slavePriority != null ? slavePriority
        : replicaPriority != null ? replicaPriority : "100";
    long offset = nodeRole == NodeRole.MASTER ? parseLong(masterOffset, 0)
        : parseLong(slaveOffset, 0);
    String runId = info.field("server", "run_id");
    return new NodeInfo(runId != null ? runId : info.get("run_id"), nodeRole, master,
        "up".equals(linkStatus), linkDown, (int) parseLong(priority, 100), offset,
        !"0".equals(announced), replicas, keys(info), raw);
  }

  /**
   * One {@code slaveN} value, or null when it is not a replica: Valkey 8 lists the RDB channel of
   * a dual-channel sync as a second "replica", and a malformed line is skipped, as Sentinel does.
   */
  private static ReplicaLine replicaLine(String composite) {
    String type = part(composite, "type");
    if (type != null && !type.equals("replica")) {
      return null;
    }
    try {
      return new ReplicaLine(Address.parse(part(composite, "ip"), part(composite, "port")),
          Objects.requireNonNullElse(part(composite, "state"), "?"),
          parseLong(part(composite, "offset"), 0));
    } catch (RuntimeException ignored) {
      return null;
    }
  }

  /**
   * The value of {@code key} in {@code a=1,b=2}, the last one when repeated, or null; read in
   * place rather than split into a map (as {@link InfoReply#fields(String)} does).
   */
  static String part(String composite, String key) {
    String found = null;
    int pos = 0;
    int n = composite.length();
    while (pos <= n) {
      int comma = composite.indexOf(',', pos);
      int end = comma < 0 ? n : comma;
      int eq = composite.indexOf('=', pos);
      if (eq > pos && eq < end && eq - pos == key.length() && composite.startsWith(key, pos)) {
        found = composite.substring(eq + 1, end);
      }
      pos = end + 1;
    }
    return found;
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
