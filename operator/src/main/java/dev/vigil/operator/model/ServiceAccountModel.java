package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** The pods' own identity, with no API token: neither Valkey nor the daemons call the API. */
public final class ServiceAccountModel {
  private ServiceAccountModel() {}

  public static ServiceAccount desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    return new ServiceAccountBuilder()
        .withMetadata(Labels.meta(c, Names.serviceAccount(c), Labels.VALKEY))
        .withAutomountServiceAccountToken(false).build();
  }
}
