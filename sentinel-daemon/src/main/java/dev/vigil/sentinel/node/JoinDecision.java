package dev.vigil.sentinel.node;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.TlsPorts;
import dev.vigil.sentinel.monitor.NodeReadiness;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a Valkey node that is (re)starting joins its group, decided before the server starts (a
 * Kubernetes init container): follow the master that the daemons' newest configuration names;
 * only when no daemon answers, fall back to the bootstrap master (pod 0 of a brand-new cluster,
 * or the master the operator last recorded). Never "the oldest pod wins", never "I was master
 * before, so I am master now": a returning old master must come back as a replica.
 *
 * @param master the master to replicate from, or empty when this node starts as master
 * @param reason one line for the log
 */
public record JoinDecision(Optional<Address> master, String reason) {

  /** One daemon's answer: the master it reports and under which configuration epoch. */
  public record DaemonView(String daemon, Address master, long configEpoch) {}

  public static JoinDecision decide(Address self, List<DaemonView> answers, Address bootstrap) {
    Optional<DaemonView> newest = answers.stream()
        .max(Comparator.comparingLong(DaemonView::configEpoch)
            .thenComparing(v -> countSame(answers, v.master())));
    if (newest.isPresent()) {
      DaemonView v = newest.get();
      String why = answers.size() + " daemon(s) answered; newest configuration (epoch "
          + v.configEpoch() + ", from " + v.daemon() + ") names " + v.master();
      return same(self, v.master()) ? new JoinDecision(Optional.empty(), why + ": this node")
          : new JoinDecision(Optional.of(v.master()), why);
    }
    String why = "no daemon answered; bootstrap master is " + bootstrap;
    return same(self, bootstrap) ? new JoinDecision(Optional.empty(), why + ": this node")
        : new JoinDecision(Optional.of(bootstrap), why);
  }

  private static long countSame(List<DaemonView> answers, Address a) {
    return answers.stream().filter(v -> v.master().equals(a)).count();
  }

  private static boolean same(Address self, Address other) {
    return NodeReadiness.sameNode(other, self.host(), self.port());
  }

  /**
   * The lines of the file the node's valkey.conf includes; during a migration to TLS only
   * ({@code migration} lists the TLS ports) with the {@code tls-replication} the master's port
   * asks for.
   */
  public List<String> configLines(String announceHost, TlsPorts migration) {
    java.util.ArrayList<String> lines = new java.util.ArrayList<>();
    lines.add("# written by vigil init-node: " + reason);
    master.ifPresent(m -> lines.add("replicaof " + m.host() + " " + m.port()));
    if (migration.listed()) {
      // After the base config's lines (--base), so none of those decides how this master is
      // reached; a daemon's later REPLICAOF sets it by the same rule.
      master.ifPresent(m -> lines.add("tls-replication " + migration.replicationFor(m)));
    }
    if (announceHost != null && !announceHost.isBlank()) {
      lines.add("replica-announce-ip " + announceHost);
    }
    return lines;
  }
}
