package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the Service models share: named ports, and the user's type and annotations. */
final class ServiceParts {
  private ServiceParts() {}

  static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port)
        .withTargetPort(new IntOrString(name)).withProtocol("TCP").build();
  }

  /** A Service applications use: the spec's type and annotations. */
  static Service userFacing(ValkeyCluster c, String name, Map<String, String> selector,
      ServicePort port) {
    Service s = new ServiceBuilder().withMetadata(Labels.meta(c, name, Labels.VALKEY))
        .withNewSpec().withType(c.getSpec().service.type).withSelector(selector).withPorts(port)
        .addAllToPorts(TlsParts.migrationPorts(c, PortNames.VALKEY_TLS)).endSpec().build();
    if (!c.getSpec().service.annotations.isEmpty()) {
      s.getMetadata().setAnnotations(new LinkedHashMap<>(c.getSpec().service.annotations));
    }
    return s;
  }
}
