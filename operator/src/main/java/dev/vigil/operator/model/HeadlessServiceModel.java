package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stable pod DNS names; lists pods before they are ready, so peers can find each other. */
public final class HeadlessServiceModel {
  private HeadlessServiceModel() {}

  public static Service desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    List<ServicePort> ports = new ArrayList<>(List.of(ServiceParts.port(PortNames.VALKEY, in.port())));
    if (in.sidecar()) {
      ports.add(ServiceParts.port(PortNames.SENTINEL, in.sentinelPort()));
    }
    return new ServiceBuilder().withMetadata(Labels.meta(c, Names.headlessService(c), Labels.VALKEY))
        .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
        .withSelector(Labels.selector(c, Labels.VALKEY)).withPorts(ports).endSpec().build();
  }
}
