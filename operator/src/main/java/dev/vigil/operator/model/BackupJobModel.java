package dev.vigil.operator.model;

import dev.vigil.operator.api.BackupJobSpec;
import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Jobs of a {@link ValkeyBackup}, owned by it: the backup ({@code vigil backup}, which writes
 * its one-line JSON result to the termination log) and, for deletionPolicy Delete, the deletion of
 * its objects ({@code vigil backups delete}). Pure functions of the resources.
 */
public final class BackupJobModel {
  /** Labels of the Jobs and their pods; the operator's informer on Jobs selects by NAME. */
  public static final String NAME = "vigil-backup";
  public static final String BACKUP_LABEL = "vigil.dev/backup";
  public static final String TERMINATION_LOG = "/dev/termination-log";
  /** The agent's user in its image (distroless nonroot). */
  static final long AGENT_UID = 65532;
  static final ResourceRequirements AGENT_DEFAULT = new ResourceRequirementsBuilder()
      .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("192Mi")))
      .withLimits(Map.of("memory", new Quantity("192Mi"))).build();

  private BackupJobModel() {}

  /**
   * The agent's image is built and pushed with the daemon's (same registry, same version), so a
   * registry or tag override of the daemon image carries over: {@code r/vigil:T} becomes
   * {@code r/vigil-backup:T}.
   */
  public static String imageBeside(String daemonImage) {
    int slash = daemonImage.lastIndexOf('/');
    int at = daemonImage.indexOf('@', slash + 1);
    int colon = daemonImage.indexOf(':', slash + 1);
    int end = at >= 0 ? at : colon >= 0 ? colon : daemonImage.length();
    String tag = at >= 0 || colon < 0 ? "" : daemonImage.substring(colon);
    return daemonImage.substring(0, end) + "-backup" + tag;
  }

  public static String jobName(ValkeyBackup b) {
    return truncated(b.getMetadata().getName(), "-backup");
  }

  public static String deleteJobName(ValkeyBackup b) {
    return truncated(b.getMetadata().getName(), "-delete");
  }

  /** Job names end up in pod labels (at most 63 characters). */
  private static String truncated(String name, String suffix) {
    int max = 63 - suffix.length();
    String base = name.length() <= max ? name : name.substring(0, max);
    while (base.endsWith("-") || base.endsWith(".")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + suffix;
  }

  /**
   * The backup Job: the agent streams the RDB of {@code sourcePod} to S3 and writes its result to
   * the termination log (the operator reads size and SHA-256 from there; a failure leaves the end
   * of its log instead, FallbackToLogsOnError). Port and TLS are what that pod serves
   * ({@link BackupNodeLink}).
   */
  public static Job backup(ValkeyBackup b, ValkeyCluster c, Pod sourcePod, String image) {
    S3Destination d = b.getSpec().destination;
    BackupNodeLink node = BackupNodeLink.of(c, sourcePod);
    List<String> args = new ArrayList<>(List.of("backup"));
    args.addAll(node.args());
    args.addAll(List.of("--cluster", c.getMetadata().getName()));
    args.addAll(BackupAgentParts.s3Args(d));
    String prefix = BackupAgentParts.prefix(d);
    if (!prefix.isEmpty()) {
      args.add("--prefix");
      args.add(prefix);
    }
    args.add("--result-file");
    args.add(TERMINATION_LOG);
    List<EnvVar> env = new ArrayList<>();
    env.add(PodParts.password(c, "VIGIL_AUTH_PASS"));
    env.addAll(BackupAgentParts.s3Env(d));
    return job(b, jobName(b), "backup", image, args, env, node.certificates(), node.mount());
  }

  /** Deletes a backup's objects: its manifest first (it stops being a backup), then the RDB. */
  public static Job delete(ValkeyBackup b, String objectKey, String image) {
    S3Destination d = b.getSpec().destination;
    List<String> args = new ArrayList<>(List.of("backups", "delete"));
    args.addAll(BackupAgentParts.s3Args(d));
    args.add(objectKey);
    return job(b, deleteJobName(b), "delete", image, args, new ArrayList<>(BackupAgentParts.s3Env(d)),
        Optional.empty(), Optional.empty());
  }

  private static Job job(ValkeyBackup b, String name, String component, String image, List<String> args,
      List<EnvVar> env, Optional<Volume> nodeTls, Optional<VolumeMount> nodeTlsMount) {
    BackupJobSpec js = b.getSpec().job;
    S3Destination d = b.getSpec().destination;
    ContainerBuilder cb = new ContainerBuilder().withName(component).withImage(image).withArgs(args)
        .withEnv(env)
        .withResources(Resources.orDefault(js.resources, AGENT_DEFAULT))
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(PodParts.restricted())
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount();
    BackupAgentParts.caMount(d).ifPresent(cb::addToVolumeMounts);
    nodeTlsMount.ifPresent(cb::addToVolumeMounts);
    cb.editSecurityContext().withReadOnlyRootFilesystem(true).endSecurityContext();
    Container container = cb.build();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    BackupAgentParts.caVolume(d).ifPresent(volumes::add);
    nodeTls.ifPresent(volumes::add);
    Map<String, String> labels = labels(b, component);
    boolean sa = d.serviceAccountName != null && !d.serviceAccountName.isBlank();
    return new JobBuilder()
        .withMetadata(meta(b, name, labels))
        .withNewSpec()
        .withBackoffLimit(js.backoffLimit)
        .withActiveDeadlineSeconds(js.activeDeadlineSeconds)
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(sa ? d.serviceAccountName : null)
        // Web identity (IRSA) reads the service account's projected token; nothing else needs one.
        .withAutomountServiceAccountToken(sa)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(AGENT_UID).withRunAsGroup(AGENT_UID)
        // The node's certificate files are 0440 (as in the Valkey pods): the group makes them readable.
        .withFsGroup(AGENT_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .withContainers(container)
        .withVolumes(volumes)
        .withNodeSelector(js.nodeSelector == null || js.nodeSelector.isEmpty() ? null : js.nodeSelector)
        .withTolerations(js.tolerations)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  public static Map<String, String> labels(ValkeyBackup b, String component) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(Labels.NAME, NAME);
    l.put(Labels.COMPONENT, component);
    l.put(Labels.MANAGED_BY, Labels.OPERATOR);
    l.put(BACKUP_LABEL, b.getMetadata().getName());
    return l;
  }

  private static ObjectMeta meta(ValkeyBackup b, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder().withName(name).withNamespace(b.getMetadata().getNamespace())
        .withLabels(labels).withOwnerReferences(List.of(owner(b))).build();
  }

  public static OwnerReference owner(ValkeyBackup b) {
    return new OwnerReferenceBuilder().withApiVersion(b.getApiVersion()).withKind(b.getKind())
        .withName(b.getMetadata().getName()).withUid(b.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }
}
