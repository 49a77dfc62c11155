package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.HostPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile decides from, read once: the cluster, the objects it owns and its
 * pods (from the informers' caches), the password, the daemons' current view of the master, the
 * outcomes of the commands sent so far, and the time. Plans are pure functions of it.
 *
 * @param existing the objects the cluster may own, by {@link #ref}, as the cache holds them
 * @param password the group's password, or null when {@code passwordProblem} says why not
 * @param agreed the master a majority of the daemons report now
 * @param commands the outcome of the last command per slot
 * @param now epoch milliseconds
 * @param restoreBackup the ValkeyBackup spec.restore names, or null
 */
public record ClusterSnapshot(ValkeyCluster cluster, List<Pod> pods, Map<String, HasMetadata> existing,
    String password, String passwordProblem, Optional<HostPort> agreed, Optional<String> disagreement,
    Map<String, CommandLedger.Outcome> commands, long now, dev.vigil.operator.api.ValkeyBackup restoreBackup) {

  public ClusterSnapshot(ValkeyCluster cluster, List<Pod> pods, Map<String, HasMetadata> existing,
      String password, String passwordProblem, Optional<HostPort> agreed, Optional<String> disagreement,
      Map<String, CommandLedger.Outcome> commands, long now) {
    this(cluster, pods, existing, password, passwordProblem, agreed, disagreement, commands, now, null);
  }

  public ClusterSnapshot {
    pods = List.copyOf(pods);
    existing = Map.copyOf(existing);
    commands = Map.copyOf(commands);
  }

  public static String ref(Class<? extends HasMetadata> kind, String name) {
    return kind.getSimpleName() + "/" + name;
  }

  public String key() {
    return ClusterReconciler.key(cluster);
  }

  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T existing(Class<T> kind, String name) {
    return (T) existing.get(ref(kind, name));
  }

  public StatefulSet statefulSet() {
    return existing(StatefulSet.class, dev.vigil.operator.model.Names.statefulSet(cluster));
  }

  public Decisions decisions() {
    return Decisions.of(cluster);
  }
}
