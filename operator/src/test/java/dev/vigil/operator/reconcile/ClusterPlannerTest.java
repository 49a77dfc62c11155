package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole plans from hand-made snapshots: no server, no daemon, no node. */
class ClusterPlannerTest {
  private static final long NOW = 1_700_000_000_000L;
  private final ClusterPlanner planner = new ClusterPlanner(Endpoints.POD_IPS, "vigil:test");

  private static ValkeyCluster cluster() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").withUid("uid-c")
        .withGeneration(1L).withResourceVersion("7").build());
    return c;
  }

  private static Pod pod(int i, String revision) {
    Map<String, String> labels = new HashMap<>(Labels.of(cluster(), Labels.VALKEY));
    labels.put("controller-revision-hash", revision);
    return new PodBuilder().withNewMetadata().withName("c-" + i).withNamespace("ns").withUid("pod-uid-" + i)
        .withLabels(labels).endMetadata().withNewStatus().withPodIP("10.0.0." + i).addNewCondition()
        .withType("Ready").withStatus("True").endCondition().endStatus().build();
  }

  private static ClusterSnapshot snapshot(ValkeyCluster c, List<Pod> pods, Map<String, HasMetadata> existing,
      Map<String, CommandLedger.Outcome> commands) {
    return new ClusterSnapshot(c, pods, existing, "pw", null, Optional.of(new HostPort("10.0.0.0", 6379)),
        Optional.empty(), commands, NOW);
  }

  /** What the server holds once a first plan was applied as planned. */
  private Map<String, HasMetadata> appliedOnce(ValkeyCluster c, List<Pod> pods, String revision) {
    Map<String, HasMetadata> existing = new HashMap<>();
    for (HasMetadata o : planner.plan(snapshot(c, pods, Map.of(), Map.of())).apply()) {
      if (o instanceof StatefulSet s) {
        s.setStatus(new StatefulSetStatusBuilder().withReplicas(3).withUpdateRevision(revision).build());
      }
      existing.put(ClusterSnapshot.ref(o.getClass(), o.getMetadata().getName()), o);
    }
    return existing;
  }

  @Test
  void aConvergedClusterPlansNoWriteAndNoCommandButTheDaemonsCheck() {
    ValkeyCluster c = cluster();
    List<Pod> pods = List.of(pod(0, "r1"), pod(1, "r1"), pod(2, "r1"));
    ClusterPlan first = planner.plan(snapshot(c, pods, Map.of(), Map.of()));
    assertThat(first.apply()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains("StatefulSet/c", "Service/c", "ConfigMap/c", "Secret/c-auth");
    assertThat(first.status()).isPresent();
    c.setStatus(first.status().get().status());

    ClusterPlan again = planner.plan(snapshot(c, pods, appliedOnce(c, pods, "r1"), Map.of()));
    assertThat(again.apply()).isEmpty();
    assertThat(again.delete()).isEmpty();
    assertThat(again.replacePod()).isNull();
    assertThat(again.decisions()).isEmpty();
    assertThat(again.status()).isEmpty();
    assertThat(again.recheckAfter()).isEmpty();
    assertThat(again.commands()).singleElement().isInstanceOf(Command.ForgetGone.class);
  }

  @Test
  void aRollReplacesTheHighestReplicaAndWaitsWhileTheCacheStillShowsIt() {
    ValkeyCluster c = cluster();
    List<Pod> pods = List.of(pod(0, "r1"), pod(1, "r1"), pod(2, "r1"));
    Map<String, HasMetadata> existing = appliedOnce(c, pods, "r2");
    ClusterPlan roll = planner.plan(snapshot(c, pods, existing, Map.of()));
    assertThat(roll.replacePod()).isEqualTo(new ClusterPlan.PodToReplace("c-2", "pod-uid-2"));
    assertThat(roll.recheckAfter()).isPresent();

    // The pod was deleted, but the cache has not seen it go yet: no second pod goes meanwhile.
    Map<String, CommandLedger.Outcome> deleted = Map.of(ClusterPlanner.deletedSlot("c-2"),
        new CommandLedger.Outcome("pod-uid-2", CommandLedger.State.DONE, NOW));
    ClusterPlan waiting = planner.plan(snapshot(c, pods, existing, deleted));
    assertThat(waiting.replacePod()).isNull();
    assertThat(waiting.status().get().status().conditions).anySatisfy(x ->
        assertThat(x.getMessage()).contains("c-2 is not ready"));
  }

  @Test
  void anInvalidSpecPlansOnlyItsStatusButTheDaemonsAreStillFollowed() {
    ValkeyCluster c = cluster();
    c.getSpec().config.put("replicaof", "10.9.9.9 6379");
    List<Pod> pods = new ArrayList<>(List.of(pod(0, "r1")));
    ClusterPlan p = planner.plan(snapshot(c, pods, Map.of(), Map.of()));
    assertThat(p.apply()).isEmpty();
    assertThat(p.commands()).isEmpty();
    assertThat(p.watch().daemons()).containsExactly(new HostPort("10.0.0.0", 26379));
    assertThat(p.status().get().status().phase).isEqualTo("Invalid");
    assertThat(p.status().get().events()).extracting(StatusPlan.Event::reason).containsExactly("SpecInvalid");
  }
  private static List<String> peers(HasMetadata configMap) {
    return com.typesafe.config.ConfigFactory.parseString(((io.fabric8.kubernetes.api.model.ConfigMap) configMap)
        .getData().get(dev.vigil.operator.model.ConfigMapModel.VIGIL_CONF)).getStringList("vigil.failover.peers");
  }

  @Test
  void aScaleOutWritesThePeerListBeforeThePodsThatReadIt() {
    ValkeyCluster c = cluster();
    List<Pod> pods = List.of(pod(0, "r1"), pod(1, "r1"), pod(2, "r1"));
    Map<String, HasMetadata> existing = appliedOnce(c, pods, "r1");
    c.getSpec().replicas = 5;
    List<HasMetadata> apply = planner.plan(snapshot(c, pods, existing, Map.of())).apply();
    List<String> kinds = apply.stream().map(HasMetadata::getKind).toList();
    assertThat(kinds).contains("ConfigMap", "StatefulSet");
    // PlanSteps applies in this order, so a pod the StatefulSet adds finds itself in the list.
    assertThat(kinds.indexOf("ConfigMap")).isLessThan(kinds.indexOf("StatefulSet"));
    assertThat(peers(apply.get(kinds.indexOf("ConfigMap")))).hasSize(5)
        .contains("c-4.c-headless.ns.svc:26379");
    assertThat(((StatefulSet) apply.get(kinds.indexOf("StatefulSet"))).getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void aScaleInKeepsListingThePodsUntilTheyAreGone() {
    ValkeyCluster c = cluster();
    c.getSpec().replicas = 5;
    List<Pod> five = List.of(pod(0, "r1"), pod(1, "r1"), pod(2, "r1"), pod(3, "r1"), pod(4, "r1"));
    Map<String, HasMetadata> existing = appliedOnce(c, five, "r1");
    c.getSpec().replicas = 3;
    // The quorum changes at once; the list keeps the pods the StatefulSet still holds.
    ClusterPlan shrinking = planner.plan(snapshot(c, five, existing, Map.of()));
    assertThat(shrinking.apply()).filteredOn(o -> o.getKind().equals("ConfigMap")).singleElement()
        .satisfies(m -> assertThat(peers(m)).hasSize(5));
    shrinking.apply().forEach(o -> existing.put(ClusterSnapshot.ref(o.getClass(), o.getMetadata().getName()), o));
    // The StatefulSet shrank; c-4 is still terminating: still listed.
    StatefulSet shrunk = (StatefulSet) existing.get(ClusterSnapshot.ref(StatefulSet.class, "c"));
    shrunk.getSpec().setReplicas(3);
    ClusterPlan terminating = planner.plan(snapshot(c, List.of(five.get(0), five.get(1), five.get(2),
        five.get(4)), existing, Map.of()));
    assertThat(terminating.apply()).noneMatch(o -> o.getKind().equals("ConfigMap"));
    // Gone: the list shrinks.
    ClusterPlan gone = planner.plan(snapshot(c, five.subList(0, 3), existing, Map.of()));
    assertThat(gone.apply()).filteredOn(o -> o.getKind().equals("ConfigMap")).singleElement()
        .satisfies(m -> assertThat(peers(m)).hasSize(3));
  }
}
