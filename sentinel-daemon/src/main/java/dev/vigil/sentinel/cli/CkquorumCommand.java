package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespServerException;
import dev.vigil.resp3.value.Resp;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ckquorum", mixinStandardHelpOptions = true,
    description = {"Checks that enough daemons are reachable to agree the master is down (quorum) "
        + "and to elect a leader (majority). Exit code 0 when they are, 1 when not."},
    footer = {"", "Example:", "  vigil ckquorum mymaster -s 10.0.0.5:26379"})
final class CkquorumCommand extends DaemonCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Master group name.")
  String name;

  @Override
  int run(RespClient client) throws Unreachable, IOException {
    try (DaemonConnection c = firstDaemon(client)) {
      String reply;
      boolean ok;
      try {
        reply = Resp.text(c.command("SENTINEL", "CKQUORUM", name));
        ok = true;
      } catch (IOException e) {
        if (!(e.getCause() instanceof RespServerException)) {
          throw e;
        }
        reply = e.getMessage();
        ok = false;
      }
      out.println(json() ? Json.write(Map.of("name", name, "ok", ok, "message", reply)) : reply);
      return ok ? 0 : 1;
    }
  }
}
