package dev.vigil.operator.model;

import dev.vigil.operator.api.SchedulingSpec;
import dev.vigil.operator.api.StorageSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ExecActionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Valkey pods. Each pod: an init container ({@code vigil init-node}) that decides whether the
 * node starts as master or as a replica of the master the daemons report; the Valkey container;
 * in sidecar mode a daemon beside it. Readiness comes from the daemons' view (a node that merely
 * claims master is not ready); stopping a master first hands its role over (preStop, coordinated
 * switchover). Updates are OnDelete: the operator replaces replicas first, one at a time, then
 * switches over and replaces the old master.
 */
public final class StatefulSetModel {
  public static final String CONFIG_HASH = "vigil.dev/config-hash";
  static final String DATA = "data";

  private StatefulSetModel() {}

  public static StatefulSet desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    StorageSpec storage = c.getSpec().storage;
    String policy = Boolean.TRUE.equals(storage.deleteClaims) ? "Delete" : "Retain";
    return new StatefulSetBuilder()
        .withMetadata(Labels.meta(c, Names.statefulSet(c), Labels.VALKEY))
        .withNewSpec()
        .withReplicas(c.getSpec().replicas)
        .withServiceName(Names.headlessService(c))
        // Parallel: after a full outage every pod restarts at once and rejoins as the daemons say.
        .withPodManagementPolicy("Parallel")
        .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
        .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted(policy).withWhenScaled(policy)
        .endPersistentVolumeClaimRetentionPolicy()
        .withSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(c, Labels.VALKEY)).build())
        .withNewTemplate()
        .withNewMetadata().withLabels(Labels.of(c, Labels.VALKEY))
        .withAnnotations(Map.of(CONFIG_HASH, ConfigMapModel.configHash(in))).endMetadata()
        .withSpec(podSpec(in))
        .endTemplate()
        .withVolumeClaimTemplates(claim(c, storage))
        .endSpec().build();
  }

  private static PersistentVolumeClaim claim(ValkeyCluster c, StorageSpec storage) {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(DATA)
        .withLabels(Labels.selector(c, Labels.VALKEY)).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storage.storageClassName)
        .withNewResources().withRequests(Map.of("storage", new Quantity(storage.size))).endResources()
        .endSpec().build();
  }

  static PodSpec podSpec(ModelInput in) {
    ValkeyCluster c = in.cluster();
    SchedulingSpec sched = c.getSpec().scheduling;
    List<Container> containers = new ArrayList<>();
    containers.add(valkey(in));
    String selfNode = "$(POD_NAME)." + Names.headlessService(c) + "." + c.getMetadata().getNamespace()
        + ".svc:" + TlsParts.nodeAddressPort(in);
    if (in.sidecar()) {
      Container d = PodParts.daemon(in, "$(POD_NAME)." + Names.headlessService(c) + "."
          + c.getMetadata().getNamespace() + ".svc", selfNode);
      d.getVolumeMounts().add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
          .withName(DATA).withMountPath("/data").build());
      // Hands the master role over before the pod stops (shared with the Valkey container's hook).
      d.setLifecycle(new io.fabric8.kubernetes.api.model.LifecycleBuilder().withNewPreStop()
          .withHttpGet(PodParts.http("/prestop", ConfigMapModel.DAEMON_HTTP_PORT)).endPreStop().build());
      containers.add(d);
    }
    PodSpecBuilder b = new PodSpecBuilder()
        .withServiceAccountName(Names.serviceAccount(c))
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(60L)
        .withNewSecurityContext().withRunAsUser(PodParts.VALKEY_UID).withRunAsGroup(PodParts.VALKEY_UID)
        .withFsGroup(PodParts.VALKEY_UID).withRunAsNonRoot(true)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .withInitContainers(initNode(in))
        .withContainers(containers)
        .addNewVolume().withName("config").withNewConfigMap().withName(Names.configMap(c)).endConfigMap()
        .endVolume()
        .addAllToVolumes(TlsParts.on(c) ? List.of(TlsParts.volume(c)) : List.of())
        .withTopologySpreadConstraints(spread(c))
        .withTolerations(sched.tolerations)
        .withNodeSelector(sched.nodeSelector.isEmpty() ? null : sched.nodeSelector)
        .withAffinity(sched.affinity)
        .withPriorityClassName(sched.priorityClassName);
    RestoreInitContainers.addTo(in, b);
    return b.build();
  }

  private static List<TopologySpreadConstraint> spread(ValkeyCluster c) {
    List<TopologySpreadConstraint> user = c.getSpec().scheduling.topologySpreadConstraints;
    if (!user.isEmpty()) {
      return user;
    }
    List<TopologySpreadConstraint> out = new ArrayList<>();
    for (String key : List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")) {
      out.add(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(key)
          .withWhenUnsatisfiable("ScheduleAnyway")
          .withNewLabelSelector().withMatchLabels(Labels.selector(c, Labels.VALKEY)).endLabelSelector()
          .build());
    }
    return out;
  }

  /**
   * The daemons to ask at start: every address of the headless Service (all pods' sidecars,
   * without listing pods, so scaling does not change the pod template), or the daemon Service.
   */
  static List<String> daemonArgs(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (!in.sidecar()) {
      return List.of("--sentinel", Names.serviceHost(c, Names.sentinelService(c)) + ":" + in.sentinelPort());
    }
    return List.of("--sentinels-dns", Names.serviceHost(c, Names.headlessService(c)) + ":" + in.sentinelPort());
  }

  private static Container initNode(ModelInput in) {
    ValkeyCluster c = in.cluster();
    String self = "$(POD_NAME)." + Names.headlessService(c) + "." + c.getMetadata().getNamespace() + ".svc";
    List<String> args = new ArrayList<>(List.of("init-node", "--name", Names.masterName(c),
        "--self", self + ":" + TlsParts.nodeAddressPort(in),
        "--bootstrap-master-file", "/etc/valkey/" + ConfigMapModel.BOOTSTRAP_MASTER,
        "--base", "/etc/valkey/" + ConfigMapModel.VALKEY_CONF,
        "--out", "/data/conf/valkey.conf",
        "--announce-host", self));
    args.addAll(daemonArgs(in));
    // Under TLS only the daemons' port speaks TLS: asked in plaintext none would answer, and the
    // node would start from the bootstrap master, which lags behind failovers. In a migration's
    // phases it dials by port, as the daemons do, and writes the tls-replication its master's port
    // needs. The pod's certificate has client-auth usage.
    args.addAll(TlsParts.initNodeTls(in));
    Container init = new ContainerBuilder().withName("init-node").withImage(in.effectiveDaemonImage())
        .withArgs(args)
        .withEnv(PodParts.fieldRef("POD_NAME", "metadata.name"))
        .withResources(Resources.DAEMON_DEFAULT)
        .withSecurityContext(PodParts.restricted())
        .addNewVolumeMount().withName("config").withMountPath("/etc/valkey").withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName(DATA).withMountPath("/data").endVolumeMount()
        .build();
    TlsParts.mountInto(c, init.getVolumeMounts());
    return init;
  }

  private static Container valkey(ModelInput in) {
    ValkeyCluster c = in.cluster();
    ContainerBuilder b = new ContainerBuilder().withName("valkey").withImage(c.getSpec().effectiveImage())
        // $(VALKEY_PASSWORD) is expanded by the kubelet: the password is in no manifest.
        .withCommand("valkey-server", "/data/conf/valkey.conf", "--requirepass", "$(VALKEY_PASSWORD)",
            "--masterauth", "$(VALKEY_PASSWORD)")
        .withEnv(PodParts.fieldRef("POD_NAME", "metadata.name"), PodParts.password(c, "VALKEY_PASSWORD"))
        .addNewPort().withName(PortNames.VALKEY).withContainerPort(in.port()).endPort()
        .withResources(Resources.orDefault(c.getSpec().resources, Resources.VALKEY_DEFAULT))
        .withSecurityContext(PodParts.restricted())
        .addNewVolumeMount().withName(DATA).withMountPath("/data").endVolumeMount()
        // Alive while it answers at all; LOADING a large dataset is alive too.
        .withNewLivenessProbe().withExec(new ExecActionBuilder().withCommand("sh", "-c",
            TlsParts.cli(c) + " -a \"$VALKEY_PASSWORD\" --no-auth-warning ping | grep -Eq 'PONG|LOADING'")
            .build()).withInitialDelaySeconds(30).withPeriodSeconds(10).withFailureThreshold(6)
        .endLivenessProbe();
    if (in.sidecar()) {
      b.withNewReadinessProbe()
          .withHttpGet(PodParts.http("/node-ready", ConfigMapModel.DAEMON_HTTP_PORT))
          .withPeriodSeconds(5).endReadinessProbe()
          .withNewLifecycle().withNewPreStop()
          .withHttpGet(PodParts.http("/prestop", ConfigMapModel.DAEMON_HTTP_PORT)).endPreStop()
          .endLifecycle();
    } else {
      b.withNewReadinessProbe().withExec(new ExecActionBuilder().withCommand("sh", "-c",
              TlsParts.cli(c) + " -a \"$VALKEY_PASSWORD\" --no-auth-warning ping | grep -q PONG")
              .build()).withPeriodSeconds(5).endReadinessProbe();
    }
    if (TlsParts.spec(c).keepsPlaintext()) {
      b.addNewPort().withName(PortNames.VALKEY_TLS).withContainerPort(TlsParts.valkeyTlsPort(c)).endPort();
    }
    Container valkey = b.build();
    TlsParts.mountInto(c, valkey.getVolumeMounts());
    return valkey;
  }
}
