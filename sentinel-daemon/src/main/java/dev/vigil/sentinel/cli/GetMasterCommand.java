package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get-master", mixinStandardHelpOptions = true,
    description = "Prints the master's address as the daemons report it (HOST:PORT).",
    footer = {"", "Examples:", "  vigil get-master mymaster",
        "  vigil get-master mymaster -s 10.0.0.5:26379 -o json"})
final class GetMasterCommand extends DaemonCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Master group name.")
  String name;

  @Override
  int run(RespClient client) throws Unreachable, IOException {
    try (DaemonConnection c = firstDaemon(client)) {
      RespValue v = c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name);
      List<RespValue> e = Resp.elements(v);
      if (e.size() != 2) {
        err.println("vigil: no group named " + name);
        return 1;
      }
      String host = Resp.text(e.get(0));
      String port = Resp.text(e.get(1));
      if (json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("host", host);
        m.put("port", Integer.parseInt(port));
        out.println(Json.write(m));
      } else {
        out.println(host + ":" + port);
      }
      return 0;
    }
  }
}
