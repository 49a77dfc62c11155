package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import java.util.List;
import java.util.Map;

/**
 * What a Valkey node says about itself, asked directly (not through the daemons, whose view may
 * be up to an INFO period old): role, whom it follows, its offset, its replica-priority (-1 when
 * not known) and the settings that matter for failover.
 */
record NodeProbe(Address address, String error, String role, Address following,
    String linkStatus, long offset, int minReplicasToWrite, String announceIp, int priority) {

  boolean ok() {
    return error == null;
  }

  /** Replicates {@code master} over a link that is up, as far as the node itself says. */
  boolean replicating(Address master) {
    return ok() && "slave".equals(role) && master.equals(following) && "up".equals(linkStatus);
  }

  static NodeProbe of(RespClient client, Address a, ConnectOptions o) {
    try (DaemonConnection c = DaemonConnection.open(client, a, null, o.nodePassword, o.ssl(a), o.timeout())) {
      Map<String, String> info = InfoReply.parse(Resp.text(c.command("INFO", "replication")))
          .section("replication");
      String role = info.getOrDefault("role", "?");
      Address following = role.equals("slave") && info.containsKey("master_host")
          ? Address.parse(info.get("master_host"), info.get("master_port")) : null;
      long offset = Long.parseLong(info.getOrDefault(role.equals("slave") ? "slave_repl_offset"
          : "master_repl_offset", "0"));
      int minReplicas = -1;
      String announce = null;
      int priority = Integer.parseInt(info.getOrDefault("slave_priority", "-1"));
      try {
        minReplicas = Integer.parseInt(config(c, "min-replicas-to-write"));
        announce = config(c, "replica-announce-ip");
        if (priority < 0) {
          priority = Integer.parseInt(config(c, "replica-priority"));
        }
      } catch (java.io.IOException | RuntimeException renamedOrDenied) {
        // CONFIG may be renamed or forbidden by ACLs: those checks are skipped
      }
      return new NodeProbe(a, null, role, following, info.get("master_link_status"), offset,
          minReplicas, announce, priority);
    } catch (java.io.IOException | RuntimeException e) {
      return new NodeProbe(a, e.getMessage() == null ? e.toString() : e.getMessage(), null, null,
          null, -1, -1, null, -1);
    }
  }

  private static String config(DaemonConnection c, String key) throws java.io.IOException {
    RespValue v = c.command("CONFIG", "GET", key);
    List<RespValue> e = Resp.elements(v instanceof dev.vigil.resp3.value.RespMap m
        ? Resp.array(m.entries().stream().flatMap(x -> java.util.stream.Stream.of(x.key(), x.value()))
            .toArray(RespValue[]::new)) : v);
    return e.size() >= 2 ? Resp.text(e.get(1)) : "";
  }
}
