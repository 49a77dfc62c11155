package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** The Sentinel protocol for Sentinel-aware clients: the sidecars, or the daemon Deployment. */
public final class SentinelServiceModel {
  private SentinelServiceModel() {}

  public static Service desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> selector = Labels.selector(c, in.sidecar() ? Labels.VALKEY : Labels.SENTINEL);
    return new ServiceBuilder().withMetadata(Labels.meta(c, Names.sentinelService(c), Labels.SENTINEL))
        .withNewSpec().withType("ClusterIP").withSelector(selector)
        .withPorts(ServiceParts.port(PortNames.SENTINEL, in.sentinelPort()))
        .addAllToPorts(TlsParts.migrationPorts(c, PortNames.SENTINEL_TLS)).endSpec().build();
  }
}
