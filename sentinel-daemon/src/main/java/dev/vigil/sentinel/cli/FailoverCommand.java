package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "failover", mixinStandardHelpOptions = true,
    description = {"Starts a failover now, without waiting for the master to fail, and waits until "
        + "the daemons report the new master.",
        "--coordinated pauses writes on the master and waits until the chosen replica has every "
        + "write before promoting it: no acknowledged write is lost (planned maintenance)."},
    footer = {"", "Examples:", "  vigil failover mymaster --coordinated",
        "  vigil failover mymaster --coordinated --if-master valkey-0.valkey-headless:6379"})
final class FailoverCommand extends DaemonCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Master group name.")
  String name;

  @Option(names = "--coordinated", description = "Zero-loss switchover (SENTINEL FAILOVER NAME COORDINATED).")
  boolean coordinated;

  @Option(names = "--if-master", converter = AddressConverter.class, paramLabel = "HOST:PORT",
      description = "Only if this node is the master now; otherwise do nothing and exit 0 "
          + "(for preStop hooks).")
  Address ifMaster;

  @Option(names = "--wait-ms", defaultValue = "60000",
      description = "How long to wait for the new master (default: ${DEFAULT-VALUE}; 0: do not wait).")
  long waitMs;

  @Override
  int run(RespClient client) throws Unreachable, IOException {
    try (DaemonConnection c = firstDaemon(client)) {
      Address before = master(c);
      if (before == null) {
        err.println("vigil: no group named " + name);
        return 1;
      }
      if (ifMaster != null && !ifMaster.equals(before)) {
        report(before, before, "not the master (" + before + "): nothing to do");
        return 0;
      }
      try {
        if (coordinated) {
          c.command("SENTINEL", "FAILOVER", name, "COORDINATED");
        } else {
          c.command("SENTINEL", "FAILOVER", name);
        }
      } catch (IOException e) {
        err.println("vigil: failover refused: " + e.getMessage());
        return 1;
      }
      if (waitMs <= 0) {
        report(before, null, "failover started");
        return 0;
      }
      long deadline = System.nanoTime() + waitMs * 1_000_000;
      while (System.nanoTime() < deadline) {
        Address now = master(c);
        if (now != null && !now.equals(before)) {
          report(before, now, "master moved from " + before + " to " + now);
          return 0;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 1;
        }
      }
      err.println("vigil: the master is still " + before + " after " + waitMs + " ms; see "
          + "'vigil status " + name + "' and the daemons' logs (-failover-abort-* events)");
      return 1;
    }
  }

  private Address master(DaemonConnection c) throws IOException {
    List<RespValue> e = Resp.elements(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name));
    return e.size() == 2 ? Address.parse(Resp.text(e.get(0)), Resp.text(e.get(1))) : null;
  }

  private void report(Address before, Address after, String message) {
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("from", before.toString());
      m.put("to", after == null ? null : after.toString());
      m.put("message", message);
      out.println(Json.write(m));
    } else {
      out.println(message);
    }
  }
}
