package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.Names;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which pod a backup takes its RDB from, a pure function of the cluster's pods and the master the
 * daemons agree on. A replica is Ready only while the daemons see it following that master with
 * its link up (its readiness probe asks them), so with {@code preferReplica} the first Ready
 * replica is taken, and the master only when none is. The agent checks the link again itself
 * and refuses a replica whose link is down.
 */
final class BackupSource {
  private BackupSource() {}

  /** A pod and its role, or why there is none yet. */
  record Choice(String pod, String role, String waiting) {
    static Choice waiting(String why) {
      return new Choice(null, null, why);
    }
  }

  static Choice choose(ValkeyBackupSpec.Target target, ValkeyCluster c, List<Pod> pods, String masterPod) {
    if (masterPod == null) {
      return Choice.waiting("the daemons of " + c.getMetadata().getName() + " agree on no master yet");
    }
    List<Pod> valkey = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && StatusPlan.isReady(p))
        .sorted(Comparator.comparingInt(p -> Names.ordinal(c, p.getMetadata().getName())))
        .toList();
    if (target == ValkeyBackupSpec.Target.preferReplica) {
      Optional<Pod> replica = valkey.stream().filter(p -> !p.getMetadata().getName().equals(masterPod)).findFirst();
      if (replica.isPresent()) {
        return new Choice(replica.get().getMetadata().getName(), "replica", null);
      }
    }
    if (valkey.stream().anyMatch(p -> p.getMetadata().getName().equals(masterPod))) {
      return new Choice(masterPod, "master", null);
    }
    return Choice.waiting("master " + masterPod + " is not ready"
        + (target == ValkeyBackupSpec.Target.preferReplica ? " and no replica is" : ""));
  }
}
