package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.RestoreSpec;
import dev.vigil.operator.api.RestoreStatus;
import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spec.restore of a new cluster against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class RestoreTest {
  static KubernetesClient client;
  private static final String NS = "restore";

  private FakeMasters masters;
  private RecordingCommands commands;
  private ClusterReconciler reconciler;
  private FakeStatefulSetController pods;

  @BeforeEach
  void setUp() {
    MockOperator op = new MockOperator(client, "pw", "10.2.0.");
    masters = op.masters;
    commands = op.commands;
    reconciler = op.reconciler;
    reconciler.backupImage("vigil-backup:test");
    pods = op.pods;
  }

  private ValkeyCluster get(String name) {
    return client.resources(ValkeyCluster.class).inNamespace(NS).withName(name).get();
  }

  private StatefulSet sts(String name) {
    return client.apps().statefulSets().inNamespace(NS).withName(name).get();
  }

  private static Container init(StatefulSet s, String name) {
    return s.getSpec().getTemplate().getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aNewClusterWaitsForItsBackupThenRestoresItIntoTheMasterWithFailoversHeldAndAofOff() {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName("snap").withNamespace(NS).build());
    b.getSpec().cluster = "old";
    b.getSpec().destination.bucket = "backups";
    b.getSpec().destination.endpoint = "http://minio:9000";
    b.getSpec().destination.credentialsSecret = new S3Destination.CredentialsSecret();
    b.getSpec().destination.credentialsSecret.name = "s3-keys";
    b = client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).create();

    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("fresh").withNamespace(NS).build());
    c.getSpec().restore = new RestoreSpec();
    c.getSpec().restore.backup = "snap";
    c.getSpec().config.put("appendonly", "yes");
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();

    reconciler.reconcile(get("fresh"));
    assertThat(sts("fresh")).as("no pod may start before its data is there").isNull();
    assertThat(get("fresh").getStatus().restore.phase).isEqualTo(RestoreStatus.PENDING);
    assertThat(get("fresh").getStatus().restore.reason).isEqualTo("ValkeyBackup snap is not done");

    b.setStatus(new ValkeyBackupStatus());
    b.getStatus().phase = ValkeyBackupStatus.COMPLETED;
    b.getStatus().objectKey = "old/old-20261201T000000000Z.rdb";
    client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).updateStatus();
    reconciler.reconcile(get("fresh"));

    StatefulSet s = sts("fresh");
    assertThat(s.getSpec().getTemplate().getSpec().getInitContainers()).extracting(Container::getName)
        .containsExactly("init-node", "restore", "restore-place");
    Container fetch = init(s, "restore");
    assertThat(fetch.getImage()).isEqualTo("vigil-backup:test");
    assertThat(fetch.getArgs()).containsExactly("restore", "--key", "old/old-20261201T000000000Z.rdb",
        "--dir", "/restore", "--dbfilename", "dump.rdb", "--s3-endpoint", "http://minio:9000", "--bucket", "backups");
    assertThat(fetch.getEnv()).extracting("name").containsExactly("VIGIL_S3_ACCESS_KEY", "VIGIL_S3_SECRET_KEY");
    Container place = init(s, "restore-place");
    assertThat(place.getEnv()).filteredOn(e -> e.getValue() != null).extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("BOOTSTRAP_POD=fresh-0", "DBFILENAME=dump.rdb", "AOFDIR=appendonlydir",
            "SOURCE=s3://backups/old/old-20261201T000000000Z.rdb");
    assertThat(place.getCommand().get(2)).contains("mv /data/.restore.tmp \"/data/$DBFILENAME\"",
        "echo 'appendonly no' >> /data/conf/valkey.conf");
    PlaceScript.check(place);
    assertThat(client.configMaps().inNamespace(NS).withName("fresh").get().getData().get("valkey.conf"))
        .contains("appendonly yes\n", "replica-priority 0\n");
    RestoreStatus st = get("fresh").getStatus().restore;
    assertThat(st.phase).isEqualTo(RestoreStatus.RESTORING);
    assertThat(st.source).isEqualTo("s3://backups/old/old-20261201T000000000Z.rdb");
    assertThat(st.backup).isEqualTo("snap");

    // The master's pod is not Ready while it loads: still restoring, nothing sent.
    pods.notReady("fresh-0", true);
    pods.sync(NS);
    masters.elect(NS + "/fresh", new HostPort("10.2.0.10", 6379));
    reconciler.reconcile(get("fresh"));
    assertThat(get("fresh").getStatus().restore.phase).isEqualTo(RestoreStatus.RESTORING);
    assertThat(commands.sent).isEmpty();

    // Its restore init container fails: the status says why, with one Warning however often the
    // kubelet retries it; once a try succeeds the reason goes.
    io.fabric8.kubernetes.api.model.Pod p0 = client.pods().inNamespace(NS).withName("fresh-0").get();
    p0.getStatus().setInitContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName("restore").withNewLastState().withNewTerminated().withExitCode(2)
        .withMessage("downloading s3://backups/old/x.rdb\nvigil restore: Access Denied (Status Code: 403)\n")
        .endTerminated().endLastState().build()));
    client.pods().inNamespace(NS).resource(p0).update();
    reconciler.reconcile(get("fresh"));
    reconciler.reconcile(get("fresh"));
    assertThat(get("fresh").getStatus().restore.reason).isEqualTo(
        "fresh-0: init container restore failed (exit 2): vigil restore: Access Denied (Status Code: 403)");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .filteredOn(e -> "RestoreStuck".equals(e.getReason())).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    p0 = client.pods().inNamespace(NS).withName("fresh-0").get();
    p0.getStatus().setInitContainerStatuses(List.of());
    client.pods().inNamespace(NS).resource(p0).update();
    reconciler.reconcile(get("fresh"));
    assertThat(get("fresh").getStatus().restore.reason).isNull();

    // Loaded: AOF goes back on at the master, then the restore is done and the pods lose its parts.
    pods.notReady("fresh-0", false);
    pods.sync(NS);
    reconciler.reconcile(get("fresh"));
    assertThat(commands.sent).containsExactly("config-set 10.2.0.10:6379 appendonly yes");
    reconciler.reconcile(get("fresh"));
    st = get("fresh").getStatus().restore;
    assertThat(st.phase).isEqualTo(RestoreStatus.COMPLETED);
    assertThat(st.completionTime).isNotNull();
    assertThat(sts("fresh").getSpec().getTemplate().getSpec().getInitContainers()).extracting(Container::getName)
        .containsExactly("init-node");
    assertThat(client.configMaps().inNamespace(NS).withName("fresh").get().getData().get("valkey.conf"))
        .doesNotContain("replica-priority 0");
    assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
        .contains("RestoreStarted", "Restored");
  }

  @Test
  void anS3LocationNeedsNoBackupResource() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("direct").withNamespace(NS).build());
    c.getSpec().restore = new RestoreSpec();
    c.getSpec().restore.destination = new S3Destination();
    c.getSpec().restore.destination.bucket = "archive";
    c.getSpec().restore.destination.pathStyle = true;
    c.getSpec().restore.key = "k/c.manifest.json";
    c.getSpec().restore.deadlineSeconds = 600L;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("direct"));
    assertThat(init(sts("direct"), "restore").getArgs()).containsSubsequence("--key", "k/c.manifest.json")
        .containsSubsequence("--deadline-s", "600").contains("--path-style", "archive");
    assertThat(get("direct").getStatus().restore.source).isEqualTo("s3://archive/k/c.manifest.json");
  }

  @Test
  void aRestoreAddedToARunningClusterIsReportedIgnoredNotSilentlyDropped() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("running").withNamespace(NS).build());
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("running"));
    ValkeyCluster later = get("running");
    later.getSpec().restore = new RestoreSpec();
    later.getSpec().restore.backup = "whatever";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(later).update();
    String template = client.getKubernetesSerialization().asJson(sts("running").getSpec().getTemplate());
    reconciler.reconcile(get("running"));
    assertThat(get("running").getStatus().restore.phase).isEqualTo(RestoreStatus.IGNORED);
    assertThat(get("running").getStatus().restore.reason).contains("new cluster only");
    assertThat(client.getKubernetesSerialization().asJson(sts("running").getSpec().getTemplate()))
        .isEqualTo(template);
    assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
        .contains("RestoreIgnored");
  }

  private String writeSelector(String name) {
    return client.services().inNamespace(NS).withName(name).get().getSpec().getSelector()
        .get(dev.vigil.operator.model.Labels.POD_NAME);
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
  }

  @Test
  void aRunningClusterIsRestoredInPlaceStepByStepWithTheWriteServiceNeverOnAReplica() {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace(NS).build());
    b.getSpec().cluster = "live";
    b.getSpec().destination.bucket = "backups";
    b = client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).create();
    b.setStatus(new ValkeyBackupStatus());
    b.getStatus().phase = ValkeyBackupStatus.COMPLETED;
    b.getStatus().objectKey = "live/live-1.rdb";
    client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).updateStatus();

    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("live").withNamespace(NS).build());
    c.getSpec().config.put("appendonly", "yes");
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("live"));
    pods.sync(NS);
    masters.elect(NS + "/live", new HostPort("10.2.0.10", 6379));
    reconciler.reconcile(get("live"));
    commands.sent.clear();
    String uid0 = client.pods().inNamespace(NS).withName("live-0").get().getMetadata().getUid();

    // A wrong confirmation: reported, nothing held.
    ValkeyCluster edit = get("live");
    edit.getSpec().restore = new RestoreSpec();
    edit.getSpec().restore.backup = "nightly";
    edit.getSpec().restore.inPlace = new dev.vigil.operator.api.InPlaceRestore();
    edit.getSpec().restore.inPlace.confirm = "prod";
    edit.getSpec().restore.inPlace.id = "2026-12-01";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(edit).update();
    reconciler.reconcile(get("live"));
    assertThat(get("live").getStatus().restore.phase).isEqualTo(RestoreStatus.PENDING);
    assertThat(commands.sent).isEmpty();

    edit = get("live");
    edit.getSpec().restore.inPlace.confirm = "live";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(edit).update();
    reconciler.reconcile(get("live"));
    assertThat(commands.sent).containsExactly("config-set 10.2.0.10:6379 replica-priority 0",
        "config-set 10.2.0.11:6379 replica-priority 0", "config-set 10.2.0.12:6379 replica-priority 0");
    assertThat(get("live").getStatus().restore.step).isEqualTo(InPlaceRestorePlan.HOLD);
    assertThat(client.configMaps().inNamespace(NS).withName("live").get().getData().get("valkey.conf"))
        .contains("replica-priority 0\n");
    Container place = init(sts("live"), "restore-place");
    assertThat(env(place, "BOOTSTRAP_POD")).isEqualTo("live-0");
    assertThat(env(place, "RESTORE_ID")).isEqualTo("2026-12-01");

    reconciler.reconcile(get("live"));
    assertThat(commands.sent).last().asString().startsWith("hold-seen ");
    reconciler.reconcile(get("live"));
    assertThat(commands.sent).last().isEqualTo("config-set 10.2.0.10:6379 min-replicas-to-write 3");
    reconciler.reconcile(get("live"));
    assertThat(get("live").getStatus().restore.step).isEqualTo(InPlaceRestorePlan.RESTORE);
    assertThat(get("live").getStatus().restore.masterPodUid).isEqualTo(uid0);
    assertThat(client.pods().inNamespace(NS).withName("live-0").get().getMetadata().getUid())
        .as("recorded first, deleted after").isEqualTo(uid0);

    // An operator restart here: a new reconciler (empty ledger) resumes at the recorded step.
    reconciler = new ClusterReconciler(new ClusterReconciler.Parts(client, new ApiObjectCache(client),
        new CreateOrReplaceApplier(client), masters, commands, Endpoints.POD_IPS, "vigil:test", () -> "pw",
        Clock.systemUTC()));
    reconciler.backupImage("vigil-backup:test");
    pods.sync(NS); // the StatefulSet controller has seen the template
    int before = commands.sent.size();
    reconciler.reconcile(get("live"));
    assertThat(client.pods().inNamespace(NS).withName("live-0").get()).as("the master's pod deleted").isNull();
    assertThat(commands.sent.subList(before, commands.sent.size())).noneMatch(x -> x.startsWith("switchover"));
    assertThat(client.pods().inNamespace(NS).withName("live-1").get()).as("no replica replaced").isNotNull();

    // Its new pod loads the backup: not Ready; the write Service keeps selecting it (no endpoint).
    pods.notReady("live-0", true);
    pods.sync(NS);
    String uid0b = client.pods().inNamespace(NS).withName("live-0").get().getMetadata().getUid();
    assertThat(uid0b).isNotEqualTo(uid0);
    reconciler.reconcile(get("live"));
    reconciler.reconcile(get("live"));
    assertThat(client.pods().inNamespace(NS).withName("live-0").get().getMetadata().getUid()).isEqualTo(uid0b);
    assertThat(get("live").getStatus().restore.step).isEqualTo(InPlaceRestorePlan.RESTORE);
    assertThat(writeSelector("live")).isEqualTo("live-0");

    pods.notReady("live-0", false);
    pods.sync(NS);
    reconciler.reconcile(get("live"));
    assertThat(commands.sent).last().asString().startsWith("in-sync 10.2.0.10:6379 ");
    reconciler.reconcile(get("live"));
    assertThat(commands.sent).last().isEqualTo("config-set 10.2.0.10:6379 appendonly yes");
    reconciler.reconcile(get("live"));
    assertThat(commands.sent.subList(commands.sent.size() - 4, commands.sent.size())).containsExactly(
        "config-set 10.2.0.10:6379 replica-priority 100", "config-set 10.2.0.10:6379 min-replicas-to-write 1",
        "config-set 10.2.0.11:6379 replica-priority 100", "config-set 10.2.0.12:6379 replica-priority 100");
    reconciler.reconcile(get("live"));
    RestoreStatus st = get("live").getStatus().restore;
    assertThat(st.phase).isEqualTo(RestoreStatus.COMPLETED);
    assertThat(st.steps).extracting(x -> x.name + " " + x.phase).containsExactly("HoldFailovers Done",
        "StopWrites Done", "RestoreMaster Done", "ResyncReplicas Done", "EnableAof Done", "LiftHold Done");
    assertThat(writeSelector("live")).isEqualTo("live-0");
    assertThat(sts("live").getSpec().getTemplate().getSpec().getInitContainers()).extracting(Container::getName)
        .containsExactly("init-node");
    assertThat(client.configMaps().inNamespace(NS).withName("live").get().getData().get("valkey.conf"))
        .doesNotContain("replica-priority 0");
    assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
        .contains("RestoreUnconfirmed", "RestoreStarted", "RestoreStep", "Restored");

    // Applied again (GitOps): nothing more happens.
    before = commands.sent.size();
    reconciler.reconcile(get("live"));
    assertThat(get("live").getStatus().restore.phase).isEqualTo(RestoreStatus.COMPLETED);
    assertThat(commands.sent.subList(before, commands.sent.size())).noneMatch(x -> x.contains("replica-priority 0"));
  }
}
