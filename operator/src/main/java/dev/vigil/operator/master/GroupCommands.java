package dev.vigil.operator.master;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The few commands the operator sends to a group itself: a coordinated switchover through a
 * daemon (before removing or replacing the master's pod), CONFIG SET on nodes (replica-priority 0
 * on pods about to go, min-replicas-to-write when the size crosses one pod), and SENTINEL RESET of
 * daemons that still count removed pods. Every call returns at once; its result completes later
 * and never exceptionally, so a slow or unreachable pod holds up no one. Each command is
 * idempotent: the reconciler repeats whatever did not take.
 */
public interface GroupCommands {
  /** SENTINEL FAILOVER name COORDINATED on the first daemon that accepts it; true if one did. */
  CompletionStage<Boolean> switchover(String masterName, List<HostPort> daemons);

  /** CONFIG SET on a running node; false when it could not be done. */
  CompletionStage<Boolean> configSet(HostPort node, String password, Map<String, String> parameters);

  /**
   * SENTINEL RESET on the first daemon that knows more replicas or peers than exist (one per call,
   * so the others keep the group covered meanwhile, as Sentinel's documentation prescribes).
   *
   * @return the daemon that was reset, if any
   */
  CompletionStage<Optional<HostPort>> forgetGone(String masterName, List<HostPort> daemons,
      int expectedDaemons, int expectedReplicas);

  /**
   * The TLS the links to a cluster's hosts (pod IPs) use from now on; empty: plain TCP. Called by
   * each reconcile before anything is sent.
   */
  default void useTls(String clusterKey, Optional<TlsMaterial> material, java.util.Collection<String> hosts) {}

  /**
   * Makes a node serve {@code material}'s certificate: done (true) when it already does;
   * otherwise {@code CONFIG SET} of the TLS file paths it already has (one call, which re-reads
   * them), then true only if a new connection is shown the new certificate. False while the
   * kubelet has not yet written the renewed Secret into the pod: the reconciler asks again.
   */
  default CompletionStage<Boolean> reloadTls(HostPort node, String password, TlsMaterial material,
      Map<String, String> parameters) {
    return java.util.concurrent.CompletableFuture.completedFuture(false);
  }
}
