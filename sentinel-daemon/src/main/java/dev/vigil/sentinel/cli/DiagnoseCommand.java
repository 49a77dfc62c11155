package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
    description = {"Connects to the daemons and to every node itself and reports what it finds, "
        + "each with a one-line fix. Problems (a failover is impossible or unsafe now): no quorum "
        + "reachable, daemons disagreeing on master or epoch, no replica that could be promoted "
        + "(read from the nodes, so a replica-priority just set counts), a node claiming master "
        + "that the daemons do not, a replica following another master, a master down, TILT. "
        + "Warnings (risks): min-replicas-to-write 0, replication lag, unreachable or ghost "
        + "replicas and daemons, an even number of daemons, announce-ip mismatches, daemons whose "
        + "cached view differs from what a node says.",
        "Exit code 0 no problem (warnings are printed), 1 problems found (or warnings, with "
        + "--strict), 2 usage or connection error."},
    footer = {"", "Examples:", "  vigil diagnose -s 10.0.0.5:26379 --node-password \"$PASS\"",
        "  vigil diagnose --strict                    # warnings fail too",
        "  vigil diagnose -o json | jq '.[].findings[] | select(.severity == \"problem\")'"})
final class DiagnoseCommand extends GroupCommand {
  @Option(names = "--strict", description = "exit 1 on warnings too, not only on problems")
  boolean strict;

  @Override
  int run(RespClient client) throws Unreachable {
    List<Object> json = new ArrayList<>();
    boolean failed = false;
    for (String g : groups(client)) {
      Snapshot s = snapshot(client, g);
      if (s.reachable().isEmpty()) {
        throw new Unreachable("no daemon answered about " + g + ": " + s.daemons().get(0).error());
      }
      List<Diagnosis.Finding> found =
          Diagnosis.of(s, probeNodes(client, Diagnosis.reference(s.reachable())));
      long problems = found.stream().filter(Diagnosis.Finding::problem).count();
      long warnings = found.size() - problems;
      failed |= problems > 0 || (strict && warnings > 0);
      if (json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g);
        m.put("healthy", problems == 0);
        List<Object> fs = new ArrayList<>();
        for (Diagnosis.Finding f : found) {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("severity", f.severity().label());
          one.put("check", f.check());
          one.put("message", f.message());
          one.put("fix", f.fix());
          fs.add(one);
        }
        m.put("findings", fs);
        json.add(m);
      } else {
        print(g, found, problems, warnings);
      }
    }
    if (json()) {
      out.println(Json.write(json));
    }
    return failed ? 1 : 0;
  }

  private void print(String group, List<Diagnosis.Finding> found, long problems, long warnings) {
    String counts = (problems > 0 ? problems + " problem(s)" : "healthy")
        + (warnings > 0 ? ", " + warnings + " warning(s)" : "");
    out.println(group + ": " + counts);
    boolean colour = Table.colour();
    // Problems first: they are what to act on now.
    for (Diagnosis.Severity severity : Diagnosis.Severity.values()) {
      for (Diagnosis.Finding f : found) {
        if (f.severity() != severity) {
          continue;
        }
        boolean problem = f.problem();
        String mark = problem ? "  \u2717 problem: " : "  ! warning: ";
        String on = problem ? "\u001b[31m" : "\u001b[33m";
        out.println((colour ? on : "") + mark + f.message() + (colour ? "\u001b[0m" : ""));
        out.println("    fix: " + f.fix());
      }
    }
  }
}
