package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/**
 * One voluntary disruption at a time. Unhealthy pods may always be evicted (a stuck pod must not
 * block a node drain). A single pod gets none: it could never be drained otherwise.
 */
public final class PodDisruptionBudgetModel {
  private PodDisruptionBudgetModel() {}

  public static Optional<PodDisruptionBudget> desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (c.getSpec().replicas <= 1) {
      return Optional.empty();
    }
    return Optional.of(new PodDisruptionBudgetBuilder()
        .withMetadata(Labels.meta(c, Names.podDisruptionBudget(c), Labels.VALKEY))
        .withNewSpec().withMaxUnavailable(new IntOrString(1))
        .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .withNewSelector().withMatchLabels(Labels.selector(c, Labels.VALKEY)).endSelector()
        .endSpec().build());
  }
}
