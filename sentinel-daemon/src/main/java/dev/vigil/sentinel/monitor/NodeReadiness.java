package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a node should receive traffic, judged from the daemons' view rather than the node's own
 * claim: a node that says it is master but is not the master the daemons agreed on is not ready
 * (it may be a returning old master about to be demoted), nor is a replica that follows anyone
 * else or has lost its link. Used by Kubernetes readiness probes.
 */
public final class NodeReadiness {
  private NodeReadiness() {}

  /** A verdict with the reason, for the probe's response body. */
  public record Verdict(boolean ready, String reason) {}

  public static Verdict of(GroupState g, String host, int port) {
    if (sameNode(g.masterAddress(), host, port)) {
      NodeState m = g.master();
      if (m.sdown() || !m.link().connected()) {
        return new Verdict(false, "master " + g.masterAddress() + " is unreachable");
      }
      if (m.role() != NodeRole.MASTER) {
        return new Verdict(false, "configured master " + g.masterAddress() + " reports role "
            + m.role().name().toLowerCase(Locale.ROOT));
      }
      return new Verdict(true, "master of " + g.name());
    }
    Optional<NodeState> replica = g.replicas().values().stream()
        .filter(r -> sameNode(r.address(), host, port)).findFirst();
    if (replica.isEmpty()) {
      return new Verdict(false, host + ":" + port + " is not a known node of " + g.name());
    }
    NodeState r = replica.get();
    if (r.sdown() || !r.link().connected() || r.info() == null) {
      return new Verdict(false, "replica " + r.address() + " is unreachable");
    }
    if (r.role() != NodeRole.REPLICA) {
      return new Verdict(false, r.address() + " claims role "
          + r.role().name().toLowerCase(Locale.ROOT) + " but the master is " + g.masterAddress());
    }
    if (!g.masterAddress().equals(r.info().masterAddress())) {
      return new Verdict(false, "replica " + r.address() + " follows " + r.info().masterAddress()
          + ", not the master " + g.masterAddress());
    }
    if (!r.info().masterLinkUp()) {
      return new Verdict(false, "replica " + r.address() + " has no link to its master");
    }
    return new Verdict(true, "replica of " + g.masterAddress());
  }

  /** Host names compare case-insensitively (DNS); a trailing dot is the same name. */
  public static boolean sameNode(Address a, String host, int port) {
    return a.port() == port && strip(a.host()).equalsIgnoreCase(strip(host));
  }

  private static String strip(String h) {
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
