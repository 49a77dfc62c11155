package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.List;

/** Containers and settings the StatefulSet and the daemon Deployment share. */
final class PodParts {
  /** The valkey image's user; the data volume is group-writable for it (fsGroup). */
  static final long VALKEY_UID = 999;

  private PodParts() {}

  static SecurityContext restricted() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true).withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
  }

  static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
        .withFieldPath(path).endFieldRef().endValueFrom().build();
  }

  static EnvVar password(ValkeyCluster c, String name) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(AuthSecretModel.secretName(c)).withKey(AuthSecretModel.secretKey(c))
        .endSecretKeyRef().endValueFrom().build();
  }

  static HTTPGetAction http(String path, int port) {
    return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(port)).build();
  }

  /**
   * A daemon container: {@code vigil sentinel /etc/vigil/vigil.conf}. {@code selfNode} (sidecar
   * mode) names the Valkey node beside it for /node-ready and /prestop.
   */
  static Container daemon(ModelInput in, String announceHost, String selfNode) {
    ValkeyCluster c = in.cluster();
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldRef("POD_NAME", "metadata.name"));
    env.add(new EnvVar("VIGIL_ANNOUNCE_IP", announceHost, null));
    if (selfNode != null) {
      env.add(new EnvVar("VIGIL_SELF_NODE", selfNode, null));
    }
    env.add(password(c, "VIGIL_AUTH_PASS"));
    ContainerBuilder b = new ContainerBuilder().withName("vigil").withImage(in.effectiveDaemonImage())
        .withArgs("sentinel", "/etc/vigil/" + ConfigMapModel.VIGIL_CONF)
        .withEnv(env)
        .addNewPort().withName(PortNames.SENTINEL).withContainerPort(in.sentinelPort()).endPort()
        .addNewPort().withName("vigil-http").withContainerPort(ConfigMapModel.DAEMON_HTTP_PORT).endPort()
        .withNewReadinessProbe().withHttpGet(http("/readyz", ConfigMapModel.DAEMON_HTTP_PORT))
        .withPeriodSeconds(5).endReadinessProbe()
        .withNewLivenessProbe().withHttpGet(http("/healthz", ConfigMapModel.DAEMON_HTTP_PORT))
        .withInitialDelaySeconds(20).withPeriodSeconds(10).endLivenessProbe()
        .withResources(Resources.orDefault(c.getSpec().sentinel.resources, Resources.DAEMON_DEFAULT))
        .withSecurityContext(restricted())
        .addNewVolumeMount().withName("config").withMountPath("/etc/vigil").withReadOnly(true).endVolumeMount();
    if (TlsParts.spec(c).keepsPlaintext()) {
      b.addNewPort().withName(PortNames.SENTINEL_TLS).withContainerPort(TlsParts.daemonTlsPort(c)).endPort();
    }
    Container d = b.build();
    TlsParts.mountInto(c, d.getVolumeMounts());
    return d;
  }
}
