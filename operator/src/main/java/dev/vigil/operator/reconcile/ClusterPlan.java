package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.HostPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile does, decided before anything is done: each field is one named step of
 * {@link PlanSteps}, run in this order.
 *
 * @param watch the daemons to follow (always, even for an invalid spec: failovers go on)
 * @param decisions what to remember in the cluster, or empty when unchanged; recorded before any
 *     command that depends on it goes out
 * @param apply objects that differ from the cache's copy
 * @param delete owned objects this configuration must not have
 * @param replacePod the pod a rolling change deletes now, or null
 * @param commands commands to the group, sent without waiting
 * @param status the next status and its Events, or empty when unchanged
 * @param recheckAfter when to look again although no event may come (a retry, a timer)
 */
record ClusterPlan(Watch watch, Optional<Decisions> decisions, List<HasMetadata> apply,
    List<HasMetadata> delete, PodToReplace replacePod, List<Command> commands,
    Optional<StatusPlan.Change> status, Optional<Duration> recheckAfter) {

  /** Which daemons to follow and the quorum they should use (0: leave it). */
  public record Watch(String masterName, List<HostPort> daemons, int quorum) {}

  /** A pod to delete, by name and the uid seen (so a pod made again is not deleted too). */
  public record PodToReplace(String name, String uid) {}

  public ClusterPlan {
    apply = List.copyOf(apply);
    delete = List.copyOf(delete);
    commands = List.copyOf(commands);
  }

  static ClusterPlan statusOnly(Watch watch, Optional<StatusPlan.Change> status) {
    return new ClusterPlan(watch, Optional.empty(), List.of(), List.of(), null, List.of(), status,
        Optional.empty());
  }
}
