package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Service;

/** Reads: every ready Valkey pod (readiness comes from the daemons' view). */
public final class ReadServiceModel {
  private ReadServiceModel() {}

  public static Service desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    return ServiceParts.userFacing(c, Names.readService(c), Labels.selector(c, Labels.VALKEY),
        ServiceParts.port(PortNames.VALKEY, in.port()));
  }
}
