package dev.vigil.sentinel.http;

import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon as its HTTP endpoints see it: the groups' states to report on, and the one thing
 * they ask of it, a coordinated hand-over before a pod stops. The endpoints own this interface
 * and the daemon implements it, so the dependency points one way (http -> this <- daemon).
 */
public interface DaemonStatus {
  DaemonConfig config();

  Clock clock();

  /** The daemon's current epoch (persisted; never lowered). */
  long currentEpoch();

  /** Snapshots of every group, in configuration order: one consistent set. */
  List<GroupState> groups();

  /** A snapshot of one group, or null when no group has that name. */
  GroupState group(String name);

  /** SENTINEL FAILOVER name [COORDINATED]: whether it started, or why not. */
  CompletableFuture<dev.vigil.sentinel.failover.ForceOutcome> forceFailover(String name,
      boolean coordinated);
}
