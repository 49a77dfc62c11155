package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four Services: headless, write (the master), read (all ready pods), sentinel. */
public final class ServiceModels {
  private ServiceModels() {}

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port)
        .withTargetPort(new IntOrString(name)).withProtocol("TCP").build();
  }

  /** Stable pod DNS names; lists pods before they are ready, so peers can find each other. */
  public static Service headless(ModelInput in) {
    ValkeyCluster c = in.cluster();
    List<ServicePort> ports = new ArrayList<>(List.of(port("valkey", in.port())));
    if (in.sidecar()) {
      ports.add(port("sentinel", in.sentinelPort()));
    }
    return new ServiceBuilder().withMetadata(Labels.meta(c, Names.headlessService(c), Labels.VALKEY))
        .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
        .withSelector(Labels.selector(c, Labels.VALKEY)).withPorts(ports).endSpec().build();
  }

  /**
   * The write Service: selects exactly the pod the daemons elected, by the pod-name label the
   * StatefulSet controller sets (unique), never by a role label two pods could carry at once.
   */
  public static Service write(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> selector = new LinkedHashMap<>(Labels.selector(c, Labels.VALKEY));
    selector.put(Labels.POD_NAME, in.masterOrBootstrap());
    return userFacing(c, Names.writeService(c), selector, port("valkey", in.port()));
  }

  /** Reads: every ready Valkey pod (readiness comes from the daemons' view). */
  public static Service read(ModelInput in) {
    ValkeyCluster c = in.cluster();
    return userFacing(c, Names.readService(c), Labels.selector(c, Labels.VALKEY),
        port("valkey", in.port()));
  }

  /** The Sentinel protocol for Sentinel-aware clients: sidecars, or the daemon Deployment. */
  public static Service sentinel(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> selector = Labels.selector(c, in.sidecar() ? Labels.VALKEY : Labels.SENTINEL);
    return new ServiceBuilder().withMetadata(Labels.meta(c, Names.sentinelService(c), Labels.SENTINEL))
        .withNewSpec().withType("ClusterIP").withSelector(selector)
        .withPorts(port("sentinel", in.sentinelPort())).endSpec().build();
  }

  private static Service userFacing(ValkeyCluster c, String name, Map<String, String> selector,
      ServicePort port) {
    Service s = new ServiceBuilder().withMetadata(Labels.meta(c, name, Labels.VALKEY))
        .withNewSpec().withType(c.getSpec().service.type).withSelector(selector).withPorts(port)
        .endSpec().build();
    if (!c.getSpec().service.annotations.isEmpty()) {
      s.getMetadata().setAnnotations(new LinkedHashMap<>(c.getSpec().service.annotations));
    }
    return s;
  }
}
