package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.TlsMode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether {@code spec.tls} may take the running pods to the shape it asks for as a rolling change,
 * as a pure function of the pods and the StatefulSet: only when every pod that runs or is about
 * to be made can keep replicating from and watching every other one ({@link
 * TlsMode#compatibleWith}). Off and migration go either way; TLS only can neither be reached from
 * them nor left for them, so such a spec is refused, with nothing applied. The shapes are read from
 * the pods themselves, so a restarted operator (or a new leader) decides the same.
 *
 * @param requested the shape the spec asks for
 * @param served the shapes of the existing Valkey pods and of the StatefulSet's template
 * @param refusal why the spec is refused, or empty
 */
record TlsModeChange(TlsMode requested, Set<TlsMode> served, Optional<String> refusal) {

  TlsModeChange {
    served = served.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(served));
  }

  static TlsModeChange of(ValkeyCluster cr, List<Pod> pods, StatefulSet sts) {
    TlsMode requested = TlsMode.of(cr);
    Set<TlsMode> served = EnumSet.noneOf(TlsMode.class);
    int valkeyPods = 0;
    for (Pod p : pods) {
      if (!Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
        continue;
      }
      valkeyPods++;
      // A pod without containers tells nothing of its shape (never so from the API server).
      if (p.getSpec() != null && p.getSpec().getContainers() != null && !p.getSpec().getContainers().isEmpty()) {
        served.add(TlsMode.of(p.getSpec()));
      }
    }
    if (sts != null) {
      served.add(TlsMode.of(sts.getSpec().getTemplate().getSpec()));
    }
    boolean compatible = served.stream().allMatch(requested::compatibleWith);
    // Pods already split between incompatible shapes (left so by an older operator) talk to each
    // other only once the roll finishes, whichever way it goes: refusing would keep them split.
    boolean split = served.stream().anyMatch(a -> served.stream().anyMatch(b -> !a.compatibleWith(b)));
    // One pod has no peer to lose: its roll is a restart, which it is anyway.
    boolean lonePod = cr.getSpec().replicas <= 1 && valkeyPods <= 1
        && (sts == null || sts.getSpec().getReplicas() == null || sts.getSpec().getReplicas() <= 1);
    if (compatible || split || lonePod) {
      return new TlsModeChange(requested, served, Optional.empty());
    }
    return new TlsModeChange(requested, served, Optional.of(refusal(requested, served)));
  }

  private static String refusal(TlsMode requested, Set<TlsMode> served) {
    String running = labels(served);
    String why = ": no rolling change gets there without a time when a replica cannot follow its master "
        + "(tls-replication decides the protocol it dials the master's one address with) and a daemon "
        + "cannot reach a node or a peer (its tls.replication decides the protocol of all its links), so "
        + "nothing was applied; ";
    if (requested == TlsMode.ON) {
      return "spec.tls asks for TLS only (plaintext: false) while the pods run with plaintext links ("
          + running + ")" + why + "keep spec.tls.plaintext: true (clients already get TLS on spec.tls.port), "
          + "or create a TLS-only cluster and restore a backup of this one into it (spec.restore) taken with "
          + "writes stopped";
    }
    return "spec.tls asks for plaintext links (" + requested.label() + ") while the pods run TLS only" + why
        + "set spec.tls back to enabled: true, plaintext: false, or create a new cluster and restore a backup "
        + "of this one into it (spec.restore)";
  }

  /** For {@code status.tlsMode}: the shapes the pods run, or null while TLS never was on. */
  String status() {
    if (requested == TlsMode.OFF && (served.isEmpty() || served.equals(Set.of(TlsMode.OFF)))) {
      return null;
    }
    return served.isEmpty() ? requested.label() : labels(served);
  }

  private static String labels(Set<TlsMode> modes) {
    return EnumSet.copyOf(modes).stream().map(TlsMode::label).collect(Collectors.joining(", "));
  }
}
