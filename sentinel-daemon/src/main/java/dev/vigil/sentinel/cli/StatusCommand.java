package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.sentinel.config.Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows each group as the daemons see it: every node's role, address, "
        + "replication offset and lag, link, priority and last reply; every daemon's view of the "
        + "master and config epoch. Each node is also asked itself: its role and replica-priority "
        + "are what it says now, and rows where that differs from the daemons' view (or from the "
        + "majority) are marked.",
        "Exit code 0 when all daemons answer and agree, 1 otherwise, 2 when none answers."},
    footer = {"", "Examples:", "  vigil status",
        "  vigil status -s 10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379 --name mymaster",
        "  vigil status -o json | jq '.[0].master'"})
final class StatusCommand extends GroupCommand {
  @Override
  int run(RespClient client) throws Unreachable {
    List<Object> json = new ArrayList<>();
    boolean healthy = true;
    for (String g : groups(client)) {
      Snapshot s = snapshot(client, g);
      if (s.reachable().isEmpty()) {
        throw new Unreachable("no daemon answered about " + g + ": " + s.daemons().get(0).error());
      }
      Snapshot.DaemonView ref = Diagnosis.reference(s.reachable());
      Map<Address, NodeProbe> probes = probeNodes(client, ref);
      boolean agree = s.daemons().stream().allMatch(d -> d.ok()
          && d.masterAddress().equals(ref.masterAddress()) && d.configEpoch() == ref.configEpoch());
      healthy &= agree && !ref.master().getOrDefault("flags", "").contains("down");
      if (json()) {
        json.add(toJson(s, ref, probes, agree));
      } else {
        print(s, ref, probes, agree);
      }
    }
    if (json()) {
      out.println(Json.write(json));
    }
    return healthy ? 0 : 1;
  }

  private void print(Snapshot s, Snapshot.DaemonView ref, Map<Address, NodeProbe> probes, boolean agree) {
    out.printf("%s: master %s (config epoch %d), quorum %d, %d of %d daemons answered, %s%n",
        s.group(), ref.masterAddress(), ref.configEpoch(), ref.quorum(), s.reachable().size(),
        s.daemons().size(), agree ? "all agree" : "THEY DISAGREE");
    long masterOffset = probes.get(ref.masterAddress()).offset();
    Table nodes = new Table("NODE", "ROLE", "FLAGS", "LINK", "OFFSET", "LAG", "PRIORITY", "LAST-REPLY");
    NodeProbe mp = probes.get(ref.masterAddress());
    nodes.row(ref.master().getOrDefault("flags", "").contains("down") || !mp.ok()
            || !"master".equals(mp.role()), ref.masterAddress(), mp.ok() ? mp.role() : "unreachable",
        ref.master().get("flags"), "-", mp.ok() ? mp.offset() : null, "-", "-",
        ListCommands.age(ref.master().get("last-ok-ping-reply")));
    for (Map<String, String> r : ref.replicas()) {
      Address a = Address.parse(r.get("ip"), r.get("port"));
      NodeProbe np = probes.get(a);
      long offset = np != null && np.ok() ? np.offset() : Long.parseLong(r.getOrDefault("slave-repl-offset", "0"));
      String lag = masterOffset >= 0 ? Long.toString(Math.max(0, masterOffset - offset)) : "-";
      // The node's own word wins where it answered; where the daemons' view differs, both show.
      String viewed = r.get("slave-priority");
      boolean drift = np != null && np.ok() && np.priority() >= 0
          && !Integer.toString(np.priority()).equals(viewed);
      String priority = drift ? np.priority() + " (daemons: " + viewed + ")" : viewed;
      boolean bad = r.getOrDefault("flags", "").contains("down") || !"ok".equals(r.get("master-link-status"))
          || (np != null && np.ok() && !"slave".equals(np.role())) || drift;
      nodes.row(bad, a, np != null && np.ok() ? np.role() : "unreachable", r.get("flags"),
          r.get("master-link-status"), offset, lag, priority,
          ListCommands.age(r.get("last-ok-ping-reply")));
    }
    out.print(nodes.render(Table.colour()));
    Table daemons = new Table("DAEMON", "MASTER", "CONFIG-EPOCH", "TILT", "REPLICAS", "PEERS", "ERROR");
    for (Snapshot.DaemonView d : s.daemons()) {
      if (!d.ok()) {
        daemons.row(true, d.address(), null, null, null, null, null, d.error());
        continue;
      }
      boolean differs = !d.masterAddress().equals(ref.masterAddress()) || d.configEpoch() != ref.configEpoch();
      daemons.row(differs || d.tilt(), d.address(), d.masterAddress(), d.configEpoch(),
          d.tilt() ? "yes" : "no", d.replicas().size(), d.sentinels().size(), null);
    }
    out.print(daemons.render(Table.colour()));
    out.println();
  }

  private static Map<String, Object> toJson(Snapshot s, Snapshot.DaemonView ref,
      Map<Address, NodeProbe> probes, boolean agree) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("name", s.group());
    g.put("master", ref.masterAddress().toString());
    g.put("configEpoch", ref.configEpoch());
    g.put("quorum", ref.quorum());
    g.put("agree", agree);
    List<Object> nodes = new ArrayList<>();
    probes.forEach((a, p) -> {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("address", a.toString());
      n.put("reachable", p.ok());
      n.put("role", p.role());
      n.put("offset", p.ok() ? p.offset() : null);
      n.put("following", p.following() == null ? null : p.following().toString());
      n.put("priority", p.ok() && p.priority() >= 0 ? p.priority() : null);
      n.put("error", p.error());
      nodes.add(n);
    });
    g.put("nodes", nodes);
    g.put("replicas", ref.replicas());
    List<Object> daemons = new ArrayList<>();
    for (Snapshot.DaemonView d : s.daemons()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", d.address().toString());
      m.put("reachable", d.ok());
      m.put("master", d.ok() ? d.masterAddress().toString() : null);
      m.put("configEpoch", d.ok() ? d.configEpoch() : null);
      m.put("tilt", d.tilt());
      m.put("error", d.error());
      daemons.add(m);
    }
    g.put("daemons", daemons);
    return g;
  }
}
