package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Server-side apply as field manager {@code vigil-operator}, taking over conflicting fields. */
public final class ServerSideApplier implements Applier {
  static final String FIELD_MANAGER = "vigil-operator";
  private final KubernetesClient client;

  public ServerSideApplier(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <T extends HasMetadata> T apply(T desired) {
    desired.getMetadata().setManagedFields(null);
    desired.getMetadata().setResourceVersion(null);
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @Override
  public boolean delete(HasMetadata object) {
    return !client.resource(object).delete().isEmpty();
  }
}
