package dev.vigil.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/** Resource defaults: requests equal to limits, so pods get the Guaranteed QoS class. */
public final class Resources {
  private Resources() {}

  static final ResourceRequirements VALKEY_DEFAULT = guaranteed("500m", "512Mi");
  /** The daemon's JVM is bounded to about 160 MB (see the image's JVM flags). */
  static final ResourceRequirements DAEMON_DEFAULT = guaranteed("50m", "192Mi");

  static ResourceRequirements guaranteed(String cpu, String memory) {
    Map<String, Quantity> q = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
    return new ResourceRequirementsBuilder().withRequests(q).withLimits(q).build();
  }

  /** The user's requirements, limits defaulting to requests (and back), else the default. */
  static ResourceRequirements orDefault(ResourceRequirements r, ResourceRequirements dflt) {
    if (r == null || (isEmpty(r.getLimits()) && isEmpty(r.getRequests()))) {
      return dflt;
    }
    Map<String, Quantity> limits = isEmpty(r.getLimits()) ? r.getRequests() : r.getLimits();
    Map<String, Quantity> requests = isEmpty(r.getRequests()) ? limits : r.getRequests();
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static boolean isEmpty(Map<?, ?> m) {
    return m == null || m.isEmpty();
  }

  /** 80% of the memory limit, in bytes, or -1 without a limit. */
  static long maxmemory(ResourceRequirements r) {
    Quantity limit = r.getLimits() == null ? null : r.getLimits().get("memory");
    return limit == null ? -1 : Quantity.getAmountInBytes(limit).longValue() * 8 / 10;
  }
}
