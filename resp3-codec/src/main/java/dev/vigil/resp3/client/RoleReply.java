package dev.vigil.resp3.client;

import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A ROLE reply. For a master: its replication offset and replicas; for a replica: its master,
 * link state ({@code connect}, {@code connecting}, {@code sync}, {@code connected}) and offset;
 * for a sentinel: the master names it monitors.
 */
public record RoleReply(
    String role,
    long offset,
    List<Replica> replicas,
    String masterHost,
    int masterPort,
    String linkState,
    List<String> monitoredMasters) {

  /** A replica as its master lists it. */
  public record Replica(String host, int port, long offset) {}

  public boolean isMaster() {
    return role.equals("master");
  }

  public boolean isReplica() {
    return role.equals("slave") || role.equals("replica");
  }

  public static RoleReply parse(RespValue reply) {
    List<RespValue> e = Resp.elements(reply);
    String role = Resp.text(e.get(0));
    switch (role) {
      case "master" -> {
        List<Replica> replicas = new ArrayList<>();
        for (RespValue r : Resp.elements(e.get(2))) {
          List<RespValue> f = Resp.elements(r);
          replicas.add(new Replica(Resp.text(f.get(0)), (int) Resp.longValue(f.get(1)),
              Resp.longValue(f.get(2))));
        }
        return new RoleReply(role, Resp.longValue(e.get(1)), List.copyOf(replicas), null, 0, null,
            List.of());
      }
      case "slave", "replica" -> {
        return new RoleReply(role, Resp.longValue(e.get(4)), List.of(), Resp.text(e.get(1)),
            (int) Resp.longValue(e.get(2)), Resp.text(e.get(3)), List.of());
      }
      case "sentinel" -> {
        List<String> names = new ArrayList<>();
        for (RespValue n : Resp.elements(e.get(1))) {
          names.add(Resp.text(n));
        }
        return new RoleReply(role, 0, List.of(), null, 0, null, List.copyOf(names));
      }
      default -> throw new IllegalArgumentException("unknown role " + role);
    }
  }
}
