package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.sentinel.config.Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command over whole groups: by name (positional or --name), or every group the first reachable
 * daemon watches.
 */
abstract class GroupCommand extends DaemonCommand {
  @Option(names = {"-n", "--name"}, paramLabel = "NAME",
      description = "Group to look at (repeatable; default: every group the daemons watch).")
  List<String> names;

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "Same as --name.")
  List<String> positionalNames;

  @Option(names = "--no-discover", description = "Ask only the daemons given with --sentinel, not "
      + "the peers they list (e.g. through a port-forward, where pod IPs are out of reach).")
  boolean noDiscover;

  Snapshot snapshot(RespClient client, String group) {
    return Snapshot.take(client, conn, group, !noDiscover);
  }

  List<String> groups(RespClient client) throws Unreachable {
    List<String> wanted = new ArrayList<>();
    if (names != null) {
      wanted.addAll(names);
    }
    if (positionalNames != null) {
      wanted.addAll(positionalNames);
    }
    if (!wanted.isEmpty()) {
      return wanted;
    }
    try {
      return Snapshot.groupNames(client, conn);
    } catch (IOException e) {
      throw new Unreachable("no daemon reachable: " + e.getMessage() + "; pass --sentinel HOST:PORT");
    }
  }

  /** Every node the reference daemon lists (master first), asked directly. */
  Map<Address, NodeProbe> probeNodes(RespClient client, Snapshot.DaemonView ref) {
    Map<Address, NodeProbe> probes = new LinkedHashMap<>();
    probes.put(ref.masterAddress(), NodeProbe.of(client, ref.masterAddress(), conn));
    for (Map<String, String> r : ref.replicas()) {
      Address a = Address.parse(r.get("ip"), r.get("port"));
      probes.put(a, NodeProbe.of(client, a, conn));
    }
    return probes;
  }
}
