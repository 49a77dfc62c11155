package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ValkeyBackup against fabric8's mock API server (CRUD mode): the Job it creates, and its status
 * from the Job's outcome, set here as the Job controller and the kubelet would set them.
 */
@EnableKubernetesMockClient(crud = true)
class BackupReconcilerTest {
  static KubernetesClient client;
  private static final String NS = "test";
  private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
  /** What {@code vigil backup --result-file} writes. */
  private static final String RESULT = "{\"id\":\"cache-20261201T005959000Z\",\"bucket\":\"backups\","
      + "\"key\":\"valkey/cache/cache-20261201T005959000Z.rdb\","
      + "\"manifestKey\":\"valkey/cache/cache-20261201T005959000Z.manifest.json\",\"size\":1048576,"
      + "\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"durationSeconds\":65.4}";

  private FakeMasters masters;
  private FakeStatefulSetController pods;
  private BackupReconciler backups;

  @BeforeEach
  void setUp() {
    masters = new FakeMasters();
    pods = new FakeStatefulSetController(client, i -> "10.0.0." + (10 + i));
    backups = new BackupReconciler(client, new ApiObjectCache(client), masters, Endpoints.POD_IPS,
        "vigil-backup:test", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A running cluster: its objects made by the cluster reconciler, its pods, pod 0 elected master. */
  private void runningCluster(String name) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    ClusterReconciler clusters = new ClusterReconciler(new ClusterReconciler.Parts(client,
        new ApiObjectCache(client), new CreateOrReplaceApplier(client), masters, new RecordingCommands(),
        Endpoints.POD_IPS, "vigil:test", () -> "pw", Clock.systemUTC()));
    clusters.reconcile(client.resources(ValkeyCluster.class).inNamespace(NS).withName(name).get());
    pods.sync(NS);
    masters.elect(NS + "/" + name, new HostPort("10.0.0.10", 6379));
  }

  private static ValkeyBackup backup(String name, String cluster, java.util.function.Consumer<ValkeyBackupSpec> edit) {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    b.getSpec().cluster = cluster;
    b.getSpec().destination.bucket = "backups";
    b.getSpec().destination.prefix = "valkey/" + cluster + "/";
    edit.accept(b.getSpec());
    return client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).create();
  }

  private ValkeyBackup get(String name) {
    return client.resources(ValkeyBackup.class).inNamespace(NS).withName(name).get();
  }

  private void reconcile(String name) {
    backups.reconcile(get(name));
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  /** The Job controller's status; {@code outcome} null for a running Job. */
  private void jobStatus(String jobName, String outcome, String reason, String message) {
    Job j = job(jobName);
    JobStatusBuilder s = new JobStatusBuilder().withStartTime("2026-12-01T00:58:00Z");
    if (outcome == null) {
      s.withActive(1);
    } else if (outcome.equals("Complete")) {
      s.withSucceeded(1).withCompletionTime("2026-12-01T00:59:10Z")
          .addNewCondition().withType("Complete").withStatus("True").endCondition();
    } else {
      s.withFailed(2).addNewCondition().withType("Failed").withStatus("True").withReason(reason)
          .withMessage(message).withLastTransitionTime("2026-12-01T00:59:30Z").endCondition();
    }
    j.setStatus(s.build());
    client.batch().v1().jobs().inNamespace(NS).resource(j).updateStatus();
  }

  /**
   * A pod of the Job that ended with {@code exitCode} and {@code message} in its termination log;
   * pods ending in a higher digit finished later.
   */
  private void jobPod(String jobName, String pod, int exitCode, String message) {
    Job j = job(jobName);
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(NS)
        .withLabels(j.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withSpec(j.getSpec().getTemplate().getSpec())
        .withNewStatus().addNewContainerStatus().withName("backup").withNewState().withNewTerminated()
        .withExitCode(exitCode).withMessage(message)
        .withFinishedAt("2026-12-01T00:59:0" + pod.charAt(pod.length() - 1) + "Z").endTerminated().endState().endContainerStatus()
        .endStatus().build()).create();
  }

  private static String env(Container c, String name) {
    EnvVar e = c.getEnv().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
    return e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey();
  }

  @Test
  void theJobRunsTheAgentAgainstAReadyReplicaWithTheDestinationsSettings() {
    runningCluster("cache");
    backup("nightly", "cache", s -> {
      s.destination.endpoint = "https://minio.example:9000";
      s.destination.pathStyle = true;
      s.destination.region = "eu-west-1";
      s.destination.credentialsSecret = new S3Destination.CredentialsSecret();
      s.destination.credentialsSecret.name = "s3-keys";
      s.destination.caSecret = new S3Destination.CaSecret();
      s.destination.caSecret.name = "minio-ca";
      s.job.activeDeadlineSeconds = 600L;
      s.job.backoffLimit = 2;
      s.job.nodeSelector = Map.of("pool", "backup");
      s.job.tolerations = List.of(new TolerationBuilder().withKey("backup").withOperator("Exists").build());
      s.job.resources = new ResourceRequirementsBuilder().withLimits(Map.of("memory", new Quantity("256Mi"))).build();
    });
    reconcile("nightly");

    Job j = job("nightly-backup");
    assertThat(j).isNotNull();
    ValkeyBackup b = get("nightly");
    assertThat(j.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo(b.getMetadata().getUid());
      assertThat(r.getKind()).isEqualTo("ValkeyBackup");
      assertThat(r.getController()).isTrue();
    });
    assertThat(j.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(j.getSpec().getBackoffLimit()).isEqualTo(2);
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getNodeSelector()).containsEntry("pool", "backup");
    assertThat(pod.getTolerations()).extracting("key").containsExactly("backup");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("vigil-backup:test");
    // pod 0 is master; pod 1 is the first Ready replica.
    assertThat(c.getArgs()).containsExactly("backup", "--node", "cache-1.cache-headless.test.svc:6379",
        "--cluster", "cache", "--s3-endpoint", "https://minio.example:9000", "--bucket", "backups",
        "--region", "eu-west-1", "--path-style", "--s3-ca-file", "/etc/vigil/s3-ca/ca.crt",
        "--prefix", "valkey/cache", "--result-file", "/dev/termination-log");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(env(c, "VIGIL_AUTH_PASS")).isEqualTo("cache-auth/password");
    assertThat(env(c, "VIGIL_S3_ACCESS_KEY")).isEqualTo("s3-keys/accessKeyId");
    assertThat(env(c, "VIGIL_S3_SECRET_KEY")).isEqualTo("s3-keys/secretAccessKey");
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("256Mi"));
    assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("minio-ca"));
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    ValkeyBackupStatus st = b.getStatus();
    assertThat(st.phase).isEqualTo("Pending");
    assertThat(st.sourcePod).isEqualTo("cache-1");
    assertThat(st.sourceRole).isEqualTo("replica");
    assertThat(st.jobName).isEqualTo("nightly-backup");
    assertThat(events("nightly")).contains("Started");

    // Level-based: again, with nothing changed, no second Job and no write.
    String version = b.getMetadata().getResourceVersion();
    reconcile("nightly");
    assertThat(get("nightly").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  private List<String> events(String backup) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> backup.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
  }

  @Test
  void theMasterIsTheSourceWhenAskedOrWhenNoReplicaIsReady() {
    runningCluster("solo");
    pods.notReady("solo-1", true);
    pods.notReady("solo-2", true);
    pods.sync(NS);
    backup("fallback", "solo", s -> { });
    backup("asked", "solo", s -> s.target = ValkeyBackupSpec.Target.master);
    reconcile("fallback");
    reconcile("asked");
    assertThat(get("fallback").getStatus().sourcePod).isEqualTo("solo-0");
    assertThat(get("fallback").getStatus().sourceRole).isEqualTo("master");
    assertThat(get("asked").getStatus().sourcePod).isEqualTo("solo-0");
    assertThat(job("asked-backup").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("solo-0.solo-headless.test.svc:6379");
  }

  @Test
  void aBackupOfAMissingClusterWaitsAndSaysWhy() {
    backup("orphan", "nothere", s -> { });
    assertThat(backups.reconcile(get("orphan"))).isPresent();
    assertThat(job("orphan-backup")).isNull();
    assertThat(get("orphan").getStatus().phase).isEqualTo("Pending");
    assertThat(get("orphan").getStatus().reason).isEqualTo("ValkeyCluster nothere does not exist");
  }

  @Test
  void runningThenCompletedWithTheAgentsResult() {
    runningCluster("done");
    backup("ok", "done", s -> { });
    reconcile("ok");
    jobStatus("ok-backup", null, null, null);
    reconcile("ok");
    assertThat(get("ok").getStatus().phase).isEqualTo("Running");
    assertThat(get("ok").getStatus().startTime).isEqualTo("2026-12-01T00:58:00Z");

    jobPod("ok-backup", "ok-backup-1", 0, RESULT);
    jobStatus("ok-backup", "Complete", null, null);
    reconcile("ok");
    ValkeyBackupStatus st = get("ok").getStatus();
    assertThat(st.phase).isEqualTo("Completed");
    assertThat(st.objectKey).isEqualTo("valkey/cache/cache-20261201T005959000Z.rdb");
    assertThat(st.manifestKey).isEqualTo("valkey/cache/cache-20261201T005959000Z.manifest.json");
    assertThat(st.size).isEqualTo(1048576L);
    assertThat(st.sha256).startsWith("9f86d081");
    assertThat(st.duration).isEqualTo("1m5s");
    assertThat(st.completionTime).isEqualTo("2026-12-01T00:59:10Z");
    assertThat(st.reason).isNull();
    assertThat(st.conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Complete");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(events("ok")).contains("Started", "Running", "Completed");

    // Done is done: the Job's later fate (deleted by hand) changes nothing.
    client.batch().v1().jobs().inNamespace(NS).withName("ok-backup").delete();
    reconcile("ok");
    assertThat(get("ok").getStatus().phase).isEqualTo("Completed");
  }

  @Test
  void aCompletedJobWithoutAResultSaysWhatIsMissing() {
    runningCluster("quiet");
    backup("noresult", "quiet", s -> { });
    reconcile("noresult");
    jobPod("noresult-backup", "noresult-backup-1", 0, "");
    jobStatus("noresult-backup", "Complete", null, null);
    reconcile("noresult");
    ValkeyBackupStatus st = get("noresult").getStatus();
    assertThat(st.phase).isEqualTo("Completed");
    assertThat(st.size).isNull();
    assertThat(st.reason).contains("no result", "SHA-256 unknown");
    assertThat(st.duration).isEqualTo("1m10s");
  }

  @Test
  void aFailedJobGivesTheJobsReasonAndTheAgentsLastLine() {
    runningCluster("bad");
    backup("fails", "bad", s -> { });
    reconcile("fails");
    jobPod("fails-backup", "fails-backup-1", 1, "older attempt");
    jobPod("fails-backup", "fails-backup-2", 1,
        "{\"error\":\"bucket nope does not exist\"}");
    jobStatus("fails-backup", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    reconcile("fails");
    ValkeyBackupStatus st = get("fails").getStatus();
    assertThat(st.phase).isEqualTo("Failed");
    assertThat(st.reason).isEqualTo("BackoffLimitExceeded: Job has reached the specified backoff limit; "
        + "the agent said: bucket nope does not exist");
    assertThat(st.completionTime).isEqualTo("2026-12-01T00:59:30Z");
    assertThat(st.conditions).anySatisfy(c -> assertThat(c.getType()).isEqualTo("Failed"));
    assertThat(events("fails")).contains("Failed");
  }

  @Test
  void aJobDeletedBeforeItFinishedFailsTheBackup() {
    runningCluster("gone");
    backup("lost", "gone", s -> { });
    reconcile("lost");
    client.batch().v1().jobs().inNamespace(NS).withName("lost-backup").delete();
    reconcile("lost");
    assertThat(get("lost").getStatus().phase).isEqualTo("Failed");
    assertThat(get("lost").getStatus().reason).contains("lost-backup was deleted");
  }

  @Test
  void deletionPolicyDeleteRemovesTheObjectsThroughAJobBeforeTheResourceGoes() {
    runningCluster("del");
    backup("purge", "del", s -> s.deletionPolicy = ValkeyBackupSpec.DeletionPolicy.Delete);
    reconcile("purge");
    assertThat(get("purge").getMetadata().getFinalizers()).containsExactly(ValkeyBackup.FINALIZER);
    jobPod("purge-backup", "purge-backup-1", 0, RESULT);
    jobStatus("purge-backup", "Complete", null, null);
    reconcile("purge");

    client.resources(ValkeyBackup.class).inNamespace(NS).withName("purge").delete();
    assertThat(get("purge")).as("held by the finalizer").isNotNull();
    reconcile("purge");
    Job del = job("purge-delete");
    assertThat(del).isNotNull();
    assertThat(del.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly(
        "backups", "delete", "--bucket", "backups", "valkey/cache/cache-20261201T005959000Z.rdb");
    assertThat(get("purge")).as("still held while the objects are deleted").isNotNull();

    jobStatus("purge-delete", "Complete", null, null);
    reconcile("purge");
    assertThat(get("purge")).isNull();
  }

  @Test
  void aFailedDeletionKeepsTheResourceAndSaysWhy() {
    runningCluster("keep");
    backup("stuck", "keep", s -> s.deletionPolicy = ValkeyBackupSpec.DeletionPolicy.Delete);
    reconcile("stuck");
    jobPod("stuck-backup", "stuck-backup-1", 0, RESULT);
    jobStatus("stuck-backup", "Complete", null, null);
    reconcile("stuck");
    client.resources(ValkeyBackup.class).inNamespace(NS).withName("stuck").delete();
    reconcile("stuck");
    Job del = job("stuck-delete");
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("stuck-delete-1")
        .withNamespace(NS).withLabels(del.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withNewStatus().addNewContainerStatus().withName("delete").withNewState().withNewTerminated()
        .withExitCode(1).withMessage("vigil backups: access denied").endTerminated().endState()
        .endContainerStatus().endStatus().build()).create();
    jobStatus("stuck-delete", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    reconcile("stuck");
    ValkeyBackup b = get("stuck");
    assertThat(b).isNotNull();
    assertThat(b.getStatus().reason).contains("deleting the objects failed: vigil backups: access denied");
    assertThat(events("stuck")).contains("DeleteFailed");
  }

  @Test
  void retainedBackupsGoAtOnceAndLeaveTheObjects() {
    runningCluster("ret");
    backup("kept", "ret", s -> { });
    reconcile("kept");
    assertThat(get("kept").getMetadata().getFinalizers()).isNullOrEmpty();
    client.resources(ValkeyBackup.class).inNamespace(NS).withName("kept").delete();
    assertThat(get("kept")).isNull();
    assertThat(job("kept-delete")).isNull();
  }
}
