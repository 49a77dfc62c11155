package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import java.util.ArrayList;
import java.util.List;

/** Every name the operator gives, in one place: the README and the tests rely on them. */
public final class Names {
  private Names() {}

  public static String statefulSet(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  /** The write Service: always the elected master. */
  public static String writeService(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  public static String readService(ValkeyCluster c) {
    return c.getMetadata().getName() + "-replicas";
  }

  public static String headlessService(ValkeyCluster c) {
    return c.getMetadata().getName() + "-headless";
  }

  /** Sentinel-protocol endpoint for Sentinel-aware clients, in both daemon modes. */
  public static String sentinelService(ValkeyCluster c) {
    return c.getMetadata().getName() + "-sentinel";
  }

  public static String sentinelDeployment(ValkeyCluster c) {
    return c.getMetadata().getName() + "-sentinel";
  }

  public static String configMap(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  /** The generated password (when no existing Secret is named). */
  public static String authSecret(ValkeyCluster c) {
    return c.getMetadata().getName() + "-auth";
  }

  /** Host, port, sentinel address, master name and password, for applications. */
  public static String connectionSecret(ValkeyCluster c) {
    return c.getMetadata().getName() + "-connection";
  }

  public static String podDisruptionBudget(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  public static String serviceAccount(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  /** The daemons' group name: the cluster's name. */
  public static String masterName(ValkeyCluster c) {
    return c.getMetadata().getName();
  }

  public static String pod(ValkeyCluster c, int ordinal) {
    return c.getMetadata().getName() + "-" + ordinal;
  }

  /** A pod's stable DNS name through the headless Service; what the daemons know nodes by. */
  public static String podHost(ValkeyCluster c, String pod) {
    return pod + "." + headlessService(c) + "." + c.getMetadata().getNamespace() + ".svc";
  }

  public static String serviceHost(ValkeyCluster c, String service) {
    return service + "." + c.getMetadata().getNamespace() + ".svc";
  }

  public static List<String> pods(ValkeyCluster c, int replicas) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      out.add(pod(c, i));
    }
    return out;
  }

  /** The ordinal of a StatefulSet pod name, or -1. */
  public static int ordinal(ValkeyCluster c, String pod) {
    String prefix = c.getMetadata().getName() + "-";
    if (pod == null || !pod.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(pod.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
