package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.MasterTracker;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fabric8's mock API server (CRUD mode), no daemons reachable. */
@EnableKubernetesMockClient(crud = true)
class ReconcilerTest {
  static KubernetesClient client;
  private static final String NS = "test";

  private MultiThreadIoEventLoopGroup loops;
  private MasterTracker tracker;
  private CountingApplier applier;
  private ClusterReconciler reconciler;
  private FakeStatefulSetController pods;

  @BeforeEach
  void setUp() {
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    tracker = new MasterTracker(loops, (k, m) -> { }, Duration.ofSeconds(30));
    applier = new CountingApplier(new CreateOrReplaceApplier(client));
    reconciler = new ClusterReconciler(client, applier, tracker, Endpoints.POD_IPS,
        "vigil:test", () -> "generated-password", Clock.systemUTC());
    pods = new FakeStatefulSetController(client, i -> "10.0.0." + (10 + i));
  }

  @AfterEach
  void tearDown() {
    tracker.close();
    loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  static ValkeyCluster cluster(String name) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    return client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
  }

  private ValkeyCluster get(String name) {
    return client.resources(ValkeyCluster.class).inNamespace(NS).withName(name).get();
  }

  private void reconcileAndSync(String name) {
    reconciler.reconcile(get(name));
    pods.sync(NS);
    reconciler.reconcile(get(name));
  }

  private static Condition condition(ValkeyCluster c, String type) {
    return c.getStatus().conditions.stream().filter(x -> type.equals(x.getType())).findFirst().orElseThrow();
  }

  @Test
  void createsEverySubResourceOwnedByTheCluster() {
    ValkeyCluster c = cluster("cache");
    reconcileAndSync("cache");
    List<HasMetadata> owned = List.of(
        client.apps().statefulSets().inNamespace(NS).withName("cache").get(),
        client.services().inNamespace(NS).withName("cache").get(),
        client.services().inNamespace(NS).withName("cache-replicas").get(),
        client.services().inNamespace(NS).withName("cache-headless").get(),
        client.services().inNamespace(NS).withName("cache-sentinel").get(),
        client.configMaps().inNamespace(NS).withName("cache").get(),
        client.secrets().inNamespace(NS).withName("cache-auth").get(),
        client.secrets().inNamespace(NS).withName("cache-connection").get(),
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("cache").get(),
        client.serviceAccounts().inNamespace(NS).withName("cache").get());
    assertThat(owned).doesNotContainNull();
    // ownerRefs: every sub-resource is owned (controller) by its ValkeyCluster.
    assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> {
          assertThat(r.getUid()).isEqualTo(c.getMetadata().getUid());
          assertThat(r.getController()).isTrue();
          assertThat(r.getKind()).isEqualTo("ValkeyCluster");
        }));
    StatefulSet sts = (StatefulSet) owned.get(0);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting("name")
        .containsExactly("valkey", "vigil");
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    Service write = (Service) owned.get(1);
    // writeServiceFollowsMaster: a brand-new cluster bootstraps pod 0 as master.
    assertThat(write.getSpec().getSelector()).containsEntry(Labels.POD_NAME, "cache-0");
    PodDisruptionBudget pdb = (PodDisruptionBudget) owned.get(8);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    ConfigMap cm = (ConfigMap) owned.get(5);
    assertThat(cm.getData().get("vigil.conf")).contains("host = \"cache-0.cache-headless.test.svc\"",
        "quorum = 2");
    assertThat(cm.getData().get("valkey.conf")).contains("maxmemory 429496729", "min-replicas-to-write 1");
    Secret conn = (Secret) owned.get(7);
    assertThat(conn.getData()).containsKeys("host", "port", "sentinelHost", "sentinelPort", "masterName",
        "password");

    ValkeyCluster after = get("cache");
    assertThat(after.getStatus().replicas).isEqualTo(3);
    assertThat(after.getStatus().readyReplicas).isEqualTo(3);
    assertThat(after.getStatus().selector).contains("app.kubernetes.io/instance=cache");
    assertThat(condition(after, ValkeyClusterStatus.SPEC_INVALID).getStatus()).isEqualTo("False");
  }

  @Test
  void aSecondReconcileOfAnUnchangedClusterWritesNothing() {
    cluster("idem");
    reconcileAndSync("idem");
    reconciler.reconcile(get("idem"));
    applier.writes.clear();
    String statusBefore = client.getKubernetesSerialization().asJson(get("idem").getStatus());
    reconciler.reconcile(get("idem"));
    assertThat(applier.writes).isEmpty();
    assertThat(client.getKubernetesSerialization().asJson(get("idem").getStatus())).isEqualTo(statusBefore);
    // The generated password is kept, never regenerated.
    assertThat(client.secrets().inNamespace(NS).withName("idem-auth").get().getData().get("password"))
        .isEqualTo(java.util.Base64.getEncoder().encodeToString("generated-password".getBytes()));
  }

  @Test
  void driftIsRepaired() {
    cluster("drift");
    reconcileAndSync("drift");
    client.services().inNamespace(NS).withName("drift-replicas").delete();
    client.configMaps().inNamespace(NS).withName("drift").edit(cm -> {
      cm.getData().put("valkey.conf", "port 1\n");
      return cm;
    });
    client.services().inNamespace(NS).withName("drift").edit(s -> {
      s.getSpec().getSelector().put(Labels.POD_NAME, "drift-2");
      return s;
    });
    applier.writes.clear();
    reconciler.reconcile(get("drift"));
    assertThat(applier.writes).containsExactlyInAnyOrder("apply ConfigMap/drift", "apply Service/drift",
        "apply Service/drift-replicas");
    assertThat(client.services().inNamespace(NS).withName("drift-replicas").get()).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("drift").get().getData().get("valkey.conf"))
        .contains("port 6379");
    assertThat(client.services().inNamespace(NS).withName("drift").get().getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "drift-0");
  }

  @Test
  void anInvalidSpecGetsAConditionAndAnEventAndNothingIsApplied() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("bad").withNamespace(NS).build());
    c.getSpec().config.put("replicaof", "10.0.0.1 6379");
    c.getSpec().sentinel.quorum = 5;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("bad"));
    assertThat(applier.writes).isEmpty();
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("bad").get()).isNull();
    ValkeyCluster after = get("bad");
    assertThat(after.getStatus().phase).isEqualTo("Invalid");
    Condition invalid = condition(after, ValkeyClusterStatus.SPEC_INVALID);
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage()).contains("spec.config.replicaof is set by Vigil", "quorum 5");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "SpecInvalid".equals(e.getReason()) && "bad".equals(e.getInvolvedObject().getName()));
  }

  @Test
  void aMissingExistingSecretIsReportedAndNothingIsAppliedUntilItExists() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("ext").withNamespace(NS).build());
    c.getSpec().auth.existingSecret = "ext-pass";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("ext"));
    assertThat(applier.writes).isEmpty();
    assertThat(condition(get("ext"), ValkeyClusterStatus.SPEC_INVALID).getMessage())
        .contains("Secret ext-pass does not exist");
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("ext-pass").endMetadata()
        .addToStringData("password", "mine").build()).create();
    reconciler.reconcile(get("ext"));
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("ext").get()).isNotNull();
    assertThat(client.secrets().inNamespace(NS).withName("ext-auth").get()).as("none generated").isNull();
    assertThat(condition(get("ext"), ValkeyClusterStatus.SPEC_INVALID).getStatus()).isEqualTo("False");
  }

  @Test
  void scalingInNeverRemovesTheMasterWithoutMovingItFirst() {
    cluster("scale");
    reconcileAndSync("scale");
    ValkeyCluster c = get("scale");
    c.getSpec().replicas = 5;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();
    reconcileAndSync("scale");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas()).isEqualTo(5);
    assertThat(client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, "scale").list().getItems()).hasSize(5);

    // The daemons elected pod 4 (recorded in status, as the master tracker would).
    ValkeyCluster withMaster = get("scale");
    withMaster.getStatus().master = "scale-4";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(withMaster).updateStatus();
    ValkeyCluster shrink = get("scale");
    shrink.getSpec().replicas = 3;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(shrink).update();
    reconcileAndSync("scale");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas())
        .as("the master's pod must not be removed").isEqualTo(5);
    assertThat(condition(get("scale"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("moving the master off scale-4");

    // Once the master moved to a surviving pod, the scale-in proceeds.
    ValkeyCluster moved = get("scale");
    moved.getStatus().master = "scale-1";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(moved).updateStatus();
    reconcileAndSync("scale");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, "scale").list().getItems()).hasSize(3);
    assertThat(client.services().inNamespace(NS).withName("scale").get().getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "scale-1");
  }

  private List<String> podsAt(String name, String revision) {
    return client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, name).list().getItems().stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get("controller-revision-hash")))
        .map(p -> p.getMetadata().getName()).sorted().toList();
  }

  private void recordMaster(String name, String pod) {
    ValkeyCluster c = get(name);
    c.getStatus().master = pod;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).updateStatus();
  }

  private String updateRevision(String name) {
    return client.apps().statefulSets().inNamespace(NS).withName(name).get().getStatus().getUpdateRevision();
  }

  @Test
  void aRollingChangeReplacesReplicasOneAtATimeThenMovesTheMasterThenReplacesIt() {
    cluster("roll");
    reconcileAndSync("roll");
    String oldRevision = updateRevision("roll");
    ValkeyCluster c = get("roll");
    c.getSpec().image = "valkey/valkey:8.1.4";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();
    reconciler.reconcile(get("roll"));
    pods.sync(NS);
    String newRevision = updateRevision("roll");
    assertThat(newRevision).isNotEqualTo(oldRevision);

    // Until the daemons report a master, no pod is replaced: it could be the master.
    reconciler.reconcile(get("roll"));
    assertThat(podsAt("roll", oldRevision)).containsExactly("roll-0", "roll-1", "roll-2");
    assertThat(condition(get("roll"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("not reported a master");

    recordMaster("roll", "roll-0");
    reconciler.reconcile(get("roll"));
    assertThat(client.pods().inNamespace(NS).withName("roll-2").get()).as("highest replica first").isNull();
    assertThat(client.pods().inNamespace(NS).withName("roll-1").get()).isNotNull();

    // The replaced pod comes back on the new revision but is not ready (not in sync): wait.
    pods.notReady("roll-2", true);
    pods.sync(NS);
    reconciler.reconcile(get("roll"));
    assertThat(podsAt("roll", oldRevision)).containsExactly("roll-0", "roll-1");
    assertThat(condition(get("roll"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("roll-2 is not ready");

    pods.notReady("roll-2", false);
    pods.sync(NS);
    reconciler.reconcile(get("roll"));
    assertThat(podsAt("roll", oldRevision)).containsExactly("roll-0");
    pods.sync(NS);

    // Only the master is left on the old revision: it is not deleted before the role moved.
    reconciler.reconcile(get("roll"));
    reconciler.reconcile(get("roll"));
    assertThat(podsAt("roll", oldRevision)).containsExactly("roll-0");
    assertThat(condition(get("roll"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("switching the master off roll-0");

    recordMaster("roll", "roll-1");
    reconciler.reconcile(get("roll"));
    pods.sync(NS);
    reconciler.reconcile(get("roll"));
    assertThat(podsAt("roll", newRevision)).containsExactly("roll-0", "roll-1", "roll-2");
    ValkeyCluster done = get("roll");
    assertThat(condition(done, ValkeyClusterStatus.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(client.services().inNamespace(NS).withName("roll").get().getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "roll-1");
  }

  @Test
  void aSinglePodHasNoDisruptionBudgetAndDeploymentModeHasTheDaemonDeployment() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("solo").withNamespace(NS).build());
    c.getSpec().replicas = 1;
    c.getSpec().sentinel.mode = SentinelSpec.Mode.deployment;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconcileAndSync("solo");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("solo").get()).isNull();
    Deployment d = client.apps().deployments().inNamespace(NS).withName("solo-sentinel").get();
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(client.services().inNamespace(NS).withName("solo-sentinel").get().getSpec().getSelector())
        .containsEntry(Labels.COMPONENT, Labels.SENTINEL);

    ValkeyCluster back = get("solo");
    back.getSpec().sentinel.mode = SentinelSpec.Mode.sidecar;
    back.getSpec().replicas = 3;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(back).update();
    reconcileAndSync("solo");
    assertThat(client.apps().deployments().inNamespace(NS).withName("solo-sentinel").get()).isNull();
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("solo").get()).isNotNull();
  }

  @Test
  void deletingTheClusterRemovesWhatItOwns() {
    ValkeyCluster c = cluster("gone");
    reconcileAndSync("gone");
    client.resources(ValkeyCluster.class).inNamespace(NS).withName("gone").delete();
    reconciler.deleted(c);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("gone").get()).isNull();
    assertThat(client.services().inNamespace(NS).withLabel(Labels.INSTANCE, "gone").list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(NS).withLabel(Labels.INSTANCE, "gone").list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(NS).withLabel(Labels.INSTANCE, "gone").list().getItems()).isEmpty();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("gone").get()).isNull();
  }
}
