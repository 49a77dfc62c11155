package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code masters}, {@code replicas NAME}, {@code sentinels NAME}: one daemon's lists, as tables. */
final class ListCommands {
  private ListCommands() {}

  static List<Map<String, String>> rows(RespValue v) {
    List<Map<String, String>> out = new ArrayList<>();
    for (RespValue e : Resp.elements(v)) {
      out.add(Snapshot.fields(e));
    }
    return out;
  }

  /** Prints the rows as JSON, or as the table {@code toTable} makes of them. */
  static void print(DaemonCommand cmd, List<Map<String, String>> rows,
      java.util.function.Function<List<Map<String, String>>, Table> toTable) {
    if (cmd.json()) {
      cmd.out.println(Json.write(rows));
    } else {
      cmd.out.print(toTable.apply(rows).render(Table.colour()));
    }
  }

  static String age(String ms) {
    if (ms == null) {
      return "-";
    }
    long v = Long.parseLong(ms);
    return v < 10_000 ? v + "ms" : (v / 1000) + "s";
  }

  @Command(name = "masters", mixinStandardHelpOptions = true,
      description = "Lists the groups a daemon watches.",
      footer = {"", "Example:", "  vigil masters -s 10.0.0.5:26379"})
  static final class Masters extends DaemonCommand {
    @Override
    int run(RespClient client) throws Unreachable, IOException {
      try (DaemonConnection c = firstDaemon(client)) {
        print(this, rows(c.command("SENTINEL", "MASTERS")), rows -> {
          Table t = new Table("NAME", "MASTER", "FLAGS", "QUORUM", "REPLICAS", "DAEMONS", "CONFIG-EPOCH");
          for (Map<String, String> m : rows) {
            t.row(m.get("flags").contains("down"), m.get("name"), m.get("ip") + ":" + m.get("port"),
                m.get("flags"), m.get("quorum"), m.get("num-slaves"),
                Integer.parseInt(m.getOrDefault("num-other-sentinels", "0")) + 1, m.get("config-epoch"));
          }
          return t;
        });
        return 0;
      }
    }
  }

  @Command(name = "replicas", mixinStandardHelpOptions = true,
      description = "Lists a group's replicas as a daemon sees them.",
      footer = {"", "Example:", "  vigil replicas mymaster"})
  static final class Replicas extends DaemonCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Master group name.")
    String name;

    @Override
    int run(RespClient client) throws Unreachable, IOException {
      try (DaemonConnection c = firstDaemon(client)) {
        print(this, rows(c.command("SENTINEL", "REPLICAS", name)), rows -> {
          Table t = new Table("REPLICA", "FLAGS", "LINK", "OFFSET", "PRIORITY", "LAST-REPLY");
          for (Map<String, String> r : rows) {
            boolean bad = r.get("flags").contains("down") || !"ok".equals(r.get("master-link-status"));
            t.row(bad, r.get("ip") + ":" + r.get("port"), r.get("flags"), r.get("master-link-status"),
                r.get("slave-repl-offset"), r.get("slave-priority"), age(r.get("last-ok-ping-reply")));
          }
          return t;
        });
        return 0;
      }
    }
  }

  @Command(name = "sentinels", mixinStandardHelpOptions = true,
      description = "Lists the other daemons of a group as a daemon knows them.",
      footer = {"", "Example:", "  vigil sentinels mymaster"})
  static final class Sentinels extends DaemonCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Master group name.")
    String name;

    @Override
    int run(RespClient client) throws Unreachable, IOException {
      try (DaemonConnection c = firstDaemon(client)) {
        print(this, rows(c.command("SENTINEL", "SENTINELS", name)), rows -> {
          Table t = new Table("DAEMON", "RUN-ID", "FLAGS", "LAST-HELLO", "VOTED-LEADER", "EPOCH");
          for (Map<String, String> s : rows) {
            String runId = s.getOrDefault("runid", "");
            t.row(s.get("flags").contains("down"), s.get("ip") + ":" + s.get("port"),
                runId.length() > 8 ? runId.substring(0, 8) : runId, s.get("flags"),
                age(s.get("last-hello-message")), s.get("voted-leader"), s.get("voted-leader-epoch"));
          }
          return t;
        });
        return 0;
      }
    }
  }
}
