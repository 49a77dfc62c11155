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

  /**
   * True when every daemon answers and reports at least {@code replicas} replicas of the group,
   * each with replica-priority 0 (an in-place restore's hold on failovers has taken).
   */
  default CompletionStage<Boolean> holdSeen(String masterName, List<HostPort> daemons, int replicas) {
    return java.util.concurrent.CompletableFuture.completedFuture(false);
  }

  /**
   * True when {@code master} is a master and every one of {@code replicas} follows it, link up,
   * no sync in progress, with the master's replication ID: a replica has that ID only after
   * syncing from the master since its last start (a full sync after a restore).
   */
  default CompletionStage<Boolean> inSync(HostPort master, List<HostPort> replicas, String password) {
    return java.util.concurrent.CompletableFuture.completedFuture(false);
  }
}
