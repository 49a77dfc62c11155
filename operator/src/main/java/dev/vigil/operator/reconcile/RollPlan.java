package dev.vigil.operator.reconcile;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The next step of a rolling change (image, config, resources) under the OnDelete strategy, as a
 * pure function: replicas first, one at a time and only while every pod is ready (in sync, by the
 * daemons' view), the master last and only after the daemons moved the role elsewhere. While
 * the master is unknown nothing is replaced.
 */
final class RollPlan {
  private RollPlan() {}

  /** A pod as the plan needs it. */
  record PodView(String name, String revision, boolean ready) {}

  sealed interface Step permits Wait, Delete, SwitchOver, Done {}

  /** Nothing to do now: a pod is not ready yet. */
  record Wait(String reason) implements Step {}

  record Delete(String pod) implements Step {}

  /** Only the master is outdated: hand its role over first. */
  record SwitchOver(String master) implements Step {}

  record Done() implements Step {}

  static Step next(List<PodView> pods, String updateRevision, String master, int replicas) {
    List<PodView> outdated = pods.stream()
        .filter(p -> updateRevision != null && !updateRevision.equals(p.revision())).toList();
    if (outdated.isEmpty()) {
      return new Done();
    }
    Optional<PodView> notReady = pods.stream().filter(p -> !p.ready()).findFirst();
    if (notReady.isPresent() || pods.size() < replicas) {
      return new Wait(notReady.map(p -> p.name() + " is not ready").orElse("pods are missing"));
    }
    if (master == null && pods.size() > 1) {
      // Replacing "a replica" without knowing the master could replace the master unannounced.
      return new Wait("the daemons have not reported a master yet");
    }
    Optional<PodView> replica = outdated.stream().filter(p -> !p.name().equals(master))
        .max(Comparator.comparing(PodView::name));
    if (replica.isPresent()) {
      return new Delete(replica.get().name());
    }
    return pods.size() > 1 ? new SwitchOver(master) : new Delete(master);
  }
}
