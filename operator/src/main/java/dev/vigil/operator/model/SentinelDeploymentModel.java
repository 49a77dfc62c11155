package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The daemons as their own Deployment (mode deployment): one per pod, spread over hosts. Their
 * state is in an emptyDir: a restarted daemon comes back with a new identity and sits out
 * elections for its quarantine, as designed for lost state.
 */
public final class SentinelDeploymentModel {
  private SentinelDeploymentModel() {}

  public static Optional<Deployment> desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (in.sidecar()) {
      return Optional.empty();
    }
    Container d = PodParts.daemon(in, "$(POD_IP)", null);
    d.getEnv().add(PodParts.fieldRef("POD_IP", "status.podIP"));
    // POD_IP must be defined before the variable that refers to it.
    d.getEnv().sort((a, b) -> a.getName().equals("POD_IP") ? -1 : b.getName().equals("POD_IP") ? 1 : 0);
    d.getVolumeMounts().add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("state")
        .withMountPath("/data").build());
    return Optional.of(new DeploymentBuilder()
        .withMetadata(Labels.meta(c, Names.sentinelDeployment(c), Labels.SENTINEL))
        .withNewSpec().withReplicas(c.getSpec().sentinel.replicas)
        .withNewSelector().withMatchLabels(Labels.selector(c, Labels.SENTINEL)).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(Labels.of(c, Labels.SENTINEL))
        .withAnnotations(Map.of(StatefulSetModel.CONFIG_HASH, ConfigMapModel.configHash(in))).endMetadata()
        .withNewSpec().withServiceAccountName(Names.serviceAccount(c))
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(PodParts.VALKEY_UID)
        .withFsGroup(PodParts.VALKEY_UID).endSecurityContext()
        .withContainers(d)
        .addNewVolume().withName("config").withNewConfigMap().withName(Names.configMap(c)).endConfigMap().endVolume()
        .addNewVolume().withName("state").withNewEmptyDir().endEmptyDir().endVolume()
        .addAllToVolumes(TlsParts.on(c) ? java.util.List.of(TlsParts.volume(c)) : java.util.List.of())
        .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
        .withWhenUnsatisfiable("ScheduleAnyway").withNewLabelSelector()
        .withMatchLabels(Labels.selector(c, Labels.SENTINEL)).endLabelSelector().endTopologySpreadConstraint()
        .endSpec().endTemplate().endSpec().build());
  }
}
