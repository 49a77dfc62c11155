package dev.vigil.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Valkey primary/replica group watched by Vigil's failover daemons. Not valkey-io's sharded
 * {@code valkeyclusters.valkey.io}: this one is {@code valkeyclusters.vigil.dev}.
 */
@Group("vigil.dev")
@Version("v1alpha1")
@ShortNames({"vkc", "vigil"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ValkeyCluster extends CustomResource<ValkeyClusterSpec, ValkeyClusterStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;

  @Override
  protected ValkeyClusterSpec initSpec() {
    return new ValkeyClusterSpec();
  }

  @Override
  protected ValkeyClusterStatus initStatus() {
    return new ValkeyClusterStatus();
  }
}
