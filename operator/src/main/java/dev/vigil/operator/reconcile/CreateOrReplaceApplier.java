package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Create, or replace keeping the server's resource version: what fabric8's mock server supports.
 * Fields the server added are lost on replace, which is acceptable in tests only; production uses
 * {@link ServerSideApplier}.
 */
public final class CreateOrReplaceApplier implements Applier {
  private final KubernetesClient client;

  public CreateOrReplaceApplier(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <T extends HasMetadata> T apply(T desired) {
    T existing = client.resource(desired).get();
    if (existing == null) {
      desired.getMetadata().setResourceVersion(null);
      return client.resource(desired).create();
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return client.resource(desired).update();
  }

  @Override
  public boolean delete(HasMetadata object) {
    return !client.resource(object).delete().isEmpty();
  }
}
