package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
    description = {"Connects to the daemons and to every node itself and reports problems, each "
        + "with a one-line fix: no quorum reachable, daemons disagreeing on master or epoch, a "
        + "node claiming master that the daemons do not, replicas that cannot be promoted, "
        + "min-replicas-to-write unset, announce-ip mismatches, replication lag, ghost replicas "
        + "and daemons, TILT.",
        "Exit code 0 healthy, 1 problems found, 2 usage or connection error."},
    footer = {"", "Examples:", "  vigil diagnose -s 10.0.0.5:26379 --node-password \"$PASS\"",
        "  vigil diagnose -o json"})
final class DiagnoseCommand extends GroupCommand {
  @Override
  int run(RespClient client) throws Unreachable {
    List<Object> json = new ArrayList<>();
    int problems = 0;
    for (String g : groups(client)) {
      Snapshot s = snapshot(client, g);
      List<Diagnosis.Problem> found;
      if (s.reachable().isEmpty()) {
        throw new Unreachable("no daemon answered about " + g + ": " + s.daemons().get(0).error());
      }
      found = Diagnosis.of(s, probeNodes(client, Diagnosis.reference(s.reachable())));
      problems += found.size();
      if (json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g);
        List<Object> ps = new ArrayList<>();
        for (Diagnosis.Problem p : found) {
          ps.add(Map.of("check", p.check(), "message", p.message(), "fix", p.fix()));
        }
        m.put("problems", ps);
        json.add(m);
      } else if (found.isEmpty()) {
        out.println(g + ": healthy");
      } else {
        out.println(g + ": " + found.size() + " problem(s)");
        boolean colour = Table.colour();
        for (Diagnosis.Problem p : found) {
          out.println((colour ? "\u001b[31m  ✗ " : "  ✗ ") + p.message() + (colour ? "\u001b[0m" : ""));
          out.println("    fix: " + p.fix());
        }
      }
    }
    if (json()) {
      out.println(Json.write(json));
    }
    return problems == 0 ? 0 : 1;
  }
}
