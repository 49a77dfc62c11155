package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fabric8's mock API server (CRUD mode); daemons and nodes are stood in for. */
@EnableKubernetesMockClient(crud = true)
class ReconcilerTest {
  static KubernetesClient client;
  private static final String NS = "test";

  private FakeMasters masters;
  private RecordingCommands commands;
  private CountingApplier applier;
  private ClusterReconciler reconciler;
  private FakeStatefulSetController pods;

  /** The daemons agree that pod {@code ordinal} of cluster {@code name} is master. */
  private void elect(String name, int ordinal) {
    masters.elect(NS + "/" + name, new HostPort("10.0.0." + (10 + ordinal), 6379));
  }

  @BeforeEach
  void setUp() {
    // No daemon runs here: the test says what they agree on (pod i is at 10.0.0.(10+i)).
    masters = new FakeMasters();
    commands = new RecordingCommands();
    applier = new CountingApplier(new CreateOrReplaceApplier(client));
    reconciler = new ClusterReconciler(new ClusterReconciler.Parts(client, new ApiObjectCache(client), applier,
        masters, commands, Endpoints.POD_IPS, "vigil:test", () -> "generated-password", Clock.systemUTC()));
    pods = new FakeStatefulSetController(client, i -> "10.0.0." + (10 + i));
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
    // down-after 5000 ms (the default): an isolated master refuses writes after 5 s, not 10.
    assertThat(cm.getData().get("valkey.conf")).contains("maxmemory 429496729", "min-replicas-to-write 1",
        "min-replicas-max-lag 5\n");
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
    elect("drift", 0);
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

    // Until the daemons say which pod is master, nothing shrinks: it could be any of them.
    ValkeyCluster shrink = get("scale");
    shrink.getSpec().replicas = 3;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(shrink).update();
    reconcileAndSync("scale");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas())
        .as("the master is unknown").isEqualTo(5);
    assertThat(condition(get("scale"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("waiting for the daemons to report the master");

    // The daemons elected pod 4.
    elect("scale", 4);
    reconcileAndSync("scale");
    assertThat(get("scale").getStatus().master).isEqualTo("scale-4");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas())
        .as("the master's pod must not be removed").isEqualTo(5);
    assertThat(condition(get("scale"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("moving the master off scale-4");

    // Once the master moved to a surviving pod, the scale-in proceeds.
    elect("scale", 1);
    reconcileAndSync("scale");
    ValkeyClusterStatus st = get("scale").getStatus();
    assertThat(st.master).isEqualTo("scale-1");
    assertThat(st.lastFailover.from).isEqualTo("scale-4");
    assertThat(st.lastFailover.to).isEqualTo("scale-1");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("scale").get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, "scale").list().getItems()).hasSize(3);
    assertThat(client.services().inNamespace(NS).withName("scale").get().getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "scale-1");
    // The pods that went were made unpromotable first, and the master was asked to move.
    assertThat(commands.sent).containsSubsequence("config-set 10.0.0.13:6379 replica-priority 0",
        "switchover scale");
    assertThat(commands.sent).contains("config-set 10.0.0.14:6379 replica-priority 0");
    assertThat(Decisions.of(get("scale")).isEmpty()).as("nothing left to remember").isTrue();
  }

  @Test
  void decisionsAreNeverRecordedFromAStaleCopyOfTheCluster() {
    cluster("late");
    elect("late", 0);
    reconcileAndSync("late");
    ValkeyCluster c = get("late");
    c.getSpec().replicas = 2;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();
    ValkeyCluster stale = get("late");
    client.resources(ValkeyCluster.class).inNamespace(NS).withName("late").edit(x -> {
      x.getMetadata().setLabels(Map.of("team", "payments"));
      return x;
    });
    commands.sent.clear();
    assertThat(reconciler.reconcile(stale)).as("planned again soon").isPresent();
    assertThat(Decisions.of(get("late"))).isEqualTo(Decisions.NONE);
    assertThat(commands.sent).as("no command without its decision recorded").isEmpty();
    reconciler.reconcile(get("late"));
    assertThat(Decisions.of(get("late")).lowered()).containsExactly("late-2");
    assertThat(commands.sent).containsExactly("config-set 10.0.0.12:6379 replica-priority 0");
  }

  private List<String> podsAt(String name, String revision) {
    return client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, name).list().getItems().stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get("controller-revision-hash")))
        .map(p -> p.getMetadata().getName()).sorted().toList();
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

    elect("roll", 0);
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

    elect("roll", 1);
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
  void aRecordedMasterDecidesNothingUntilTheDaemonsAgree() {
    cluster("stale");
    reconcileAndSync("stale");
    // A failover while no operator ran: status still says stale-0, the Service was moved to
    // stale-2 by the last operator, and the new one has no answer from the daemons yet.
    ValkeyCluster c = get("stale");
    c.getStatus().master = "stale-0";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).updateStatus();
    client.services().inNamespace(NS).withName("stale").edit(svc -> {
      svc.getSpec().getSelector().put(Labels.POD_NAME, "stale-2");
      return svc;
    });
    ValkeyCluster changed = get("stale");
    changed.getSpec().image = "valkey/valkey:8.1.4";
    changed.getSpec().replicas = 2;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(changed).update();
    for (int i = 0; i < 3; i++) {
      reconciler.reconcile(get("stale"));
      pods.sync(NS);
    }
    assertThat(client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, "stale").list().getItems())
        .as("no pod replaced or removed on a stale record").hasSize(3);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("stale").get().getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(client.services().inNamespace(NS).withName("stale").get().getSpec().getSelector())
        .as("the write Service does not flap back to the record").containsEntry(Labels.POD_NAME, "stale-2");
  }

  @Test
  void theDaemonsAreWatchedEvenWhileTheSpecIsInvalid() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("watched").withNamespace(NS).build());
    c.getSpec().config.put("replicaof", "10.9.9.9 6379");
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconciler.reconcile(get("watched"));
    assertThat(condition(get("watched"), ValkeyClusterStatus.SPEC_INVALID).getStatus()).isEqualTo("True");
    assertThat(masters.watched).as("a failover must still move the write Service").contains(NS + "/watched");
  }

  @Test
  void aFieldTheSpecNoLongerAsksForIsRemoved() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("annotated").withNamespace(NS).build());
    c.getSpec().service.annotations = new java.util.LinkedHashMap<>(Map.of("lb.example/internal", "true"));
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconcileAndSync("annotated");
    assertThat(client.services().inNamespace(NS).withName("annotated").get().getMetadata().getAnnotations())
        .containsEntry("lb.example/internal", "true");
    ValkeyCluster plain = get("annotated");
    plain.getSpec().service.annotations = new java.util.LinkedHashMap<>();
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(plain).update();
    reconcileAndSync("annotated");
    assertThat(client.services().inNamespace(NS).withName("annotated").get().getMetadata().getAnnotations())
        .doesNotContainKey("lb.example/internal");
    applier.writes.clear();
    reconcileAndSync("annotated");
    assertThat(applier.writes).as("and then it is stable").isEmpty();
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
