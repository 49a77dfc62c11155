package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write Service: selects exactly the pod the daemons elected, by the pod-name label the
 * StatefulSet controller sets (unique), never by a role label two pods could carry at once.
 */
public final class WriteServiceModel {
  private WriteServiceModel() {}

  public static Service desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> selector = new LinkedHashMap<>(Labels.selector(c, Labels.VALKEY));
    selector.put(Labels.POD_NAME, in.masterOrBootstrap());
    return ServiceParts.userFacing(c, Names.writeService(c), selector, ServiceParts.port(PortNames.VALKEY, in.port()));
  }
}
