package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the daemons say about a group, gathered once: each daemon's SENTINEL MASTER, REPLICAS,
 * SENTINELS and TILT flag, or why it could not be asked. The decisions over it (status rows,
 * diagnosis) are pure functions of this record.
 */
record Snapshot(String group, List<DaemonView> daemons) {

  /**
   * One daemon's answers; {@code error} is set when it could not be asked. {@code discovered}:
   * not given by the user but listed by another daemon.
   */
  record DaemonView(Address address, boolean discovered, String error, Map<String, String> master,
      List<Map<String, String>> replicas, List<Map<String, String>> sentinels, boolean tilt) {
    boolean ok() {
      return error == null;
    }

    Address masterAddress() {
      return new Address(master.get("ip"), Integer.parseInt(master.get("port")));
    }

    long configEpoch() {
      return Long.parseLong(master.getOrDefault("config-epoch", "0"));
    }

    int quorum() {
      return Integer.parseInt(master.getOrDefault("quorum", "0"));
    }

    /** Daemons this one knows, itself included. */
    int knownDaemons() {
      return Integer.parseInt(master.getOrDefault("num-other-sentinels", "0")) + 1;
    }
  }

  List<DaemonView> reachable() {
    return daemons.stream().filter(DaemonView::ok).toList();
  }

  /** The group names the first reachable daemon watches (when the user named none). */
  static List<String> groupNames(RespClient client, ConnectOptions o) throws IOException {
    IOException last = null;
    for (Address a : o.sentinels) {
      try (DaemonConnection c = DaemonConnection.open(client, a, o.user, o.password, o.ssl(a), o.timeout())) {
        Set<String> names = new LinkedHashSet<>();
        for (RespValue m : Resp.elements(c.command("SENTINEL", "MASTERS"))) {
          names.add(Resp.text(Resp.asMap(m).get("name")));
        }
        return List.copyOf(names);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new IOException("no daemon given");
  }

  /**
   * Asks the given daemons and, with {@code discover}, every daemon they list as a peer, so one
   * address is enough to see the whole group. A daemon reached under two addresses (a name and
   * its IP) is counted once, by run id.
   */
  static Snapshot take(RespClient client, ConnectOptions o, String group, boolean discover) {
    List<DaemonView> views = new ArrayList<>();
    Set<Address> given = new LinkedHashSet<>(o.sentinels);
    Deque<Address> toAsk = new ArrayDeque<>(given);
    Set<Address> asked = new HashSet<>();
    Set<String> runIds = new HashSet<>();
    while (!toAsk.isEmpty()) {
      Address a = toAsk.poll();
      if (!asked.add(a)) {
        continue;
      }
      boolean discovered = !given.contains(a);
      try (DaemonConnection c = DaemonConnection.open(client, a, o.user, o.password, o.ssl(a), o.timeout())) {
        Map<String, String> master = fields(c.command("SENTINEL", "MASTER", group));
        List<Map<String, String>> replicas = list(c.command("SENTINEL", "REPLICAS", group));
        List<Map<String, String>> sentinels = list(c.command("SENTINEL", "SENTINELS", group));
        InfoReply info = InfoReply.parse(Resp.text(c.command("INFO")));
        String runId = info.get("run_id");
        if (runId != null && !runIds.add(runId)) {
          continue;
        }
        views.add(new DaemonView(a, discovered, null, master, replicas, sentinels,
            "1".equals(info.get("sentinel_tilt"))));
        if (discover) {
          for (Map<String, String> peer : sentinels) {
            if (peer.get("runid") == null || !runIds.contains(peer.get("runid"))) {
              toAsk.add(Address.parse(peer.get("ip"), peer.get("port")));
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        views.add(new DaemonView(a, discovered, e.getMessage() == null ? e.toString() : e.getMessage(),
            Map.of(), List.of(), List.of(), false));
      }
    }
    return new Snapshot(group, views);
  }

  static Map<String, String> fields(RespValue v) {
    RespMap m = Resp.asMap(v);
    Map<String, String> out = new LinkedHashMap<>();
    m.entries().forEach(e -> out.put(Resp.text(e.key()), Resp.text(e.value())));
    return out;
  }

  private static List<Map<String, String>> list(RespValue v) {
    List<Map<String, String>> out = new ArrayList<>();
    for (RespValue e : Resp.elements(v)) {
      out.add(fields(e));
    }
    return out;
  }
}
