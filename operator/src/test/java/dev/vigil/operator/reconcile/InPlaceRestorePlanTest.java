package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.InPlaceRestore;
import dev.vigil.operator.api.RestoreSpec;
import dev.vigil.operator.api.RestoreStatus;
import dev.vigil.operator.api.RestoreStepStatus;
import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.StatefulSetModel;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-place restore's steps as a pure function: each step's commands, what it waits for, what
 * the status records, and an operator restart (the command ledger forgotten) at each point.
 */
class InPlaceRestorePlanTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final long T0 = 1_800_000_000_000L;

  private ValkeyCluster cr;
  private ValkeyBackup backup;
  private final List<Pod> pods = new ArrayList<>();
  private final Map<String, CommandLedger.Outcome> ledger = new HashMap<>();
  private StatefulSet sts;
  private String elected = "c-0";
  private long now = T0;

  @BeforeEach
  void cluster() {
    cr = new ValkeyCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").withUid("uid-c").build());
    cr.getSpec().config.put("appendonly", "yes");
    cr.getSpec().restore = new RestoreSpec();
    cr.getSpec().restore.backup = "snap";
    cr.getSpec().restore.inPlace = new InPlaceRestore();
    cr.getSpec().restore.inPlace.confirm = "c";
    cr.getSpec().restore.inPlace.id = "r1";
    cr.setStatus(new ValkeyClusterStatus());
    backup = new ValkeyBackup();
    backup.setMetadata(new ObjectMetaBuilder().withName("snap").withNamespace("ns").build());
    backup.getSpec().destination.bucket = "b";
    backup.setStatus(new ValkeyBackupStatus());
    backup.getStatus().phase = ValkeyBackupStatus.COMPLETED;
    backup.getStatus().objectKey = "c/c-1.rdb";
    for (int i = 0; i < 3; i++) {
      pods.add(pod(i, "uid-" + i, true));
    }
    sts = statefulSet(null);
  }

  private static Pod pod(int i, String uid, boolean ready) {
    return new PodBuilder().withNewMetadata().withName("c-" + i).withNamespace("ns").withUid(uid)
        .withLabels(Map.of(Labels.COMPONENT, Labels.VALKEY)).endMetadata().withNewStatus().withPodIP("10.0.0." + i).addNewCondition()
        .withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
  }

  /** The StatefulSet as its controller saw it, with the restore of {@code step}'s source in it. */
  private StatefulSet statefulSet(RestorePlan.Step step) {
    StatefulSet s = StatefulSetModel.desired(new ModelInput(cr, "pw", "c-0", "vigil:test",
        step == null ? null : step.source()));
    s.getMetadata().setGeneration(4L);
    s.setStatus(new StatefulSetStatusBuilder().withReplicas(3).withObservedGeneration(4L).build());
    return s;
  }

  private List<NodeView> nodes() {
    List<NodeView> out = new ArrayList<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      out.add(new NodeView(name, Integer.parseInt(name.substring(2)), p.getMetadata().getUid(), true,
          new HostPort(p.getStatus().getPodIP(), 6379)));
    }
    return out;
  }

  private RestorePlan.Step plan() {
    return InPlaceRestorePlan.next(new InPlaceRestorePlan.Input(cr, backup, true, sts, elected, pods, nodes(),
        List.of(new HostPort("10.0.0.0", 26379)), ledger, "vigil-backup:test", now));
  }

  /** Plans, then records the status (as PlanSteps does) and completes every command sent. */
  private RestorePlan.Step step(boolean ok) {
    RestorePlan.Step s = plan();
    cr.getStatus().restore = s.status() == null ? null : JSON.clone(s.status());
    for (Command c : s.commands()) {
      ledger.put(c.slot(), new CommandLedger.Outcome(c.value(), ok ? CommandLedger.State.DONE
          : CommandLedger.State.FAILED, now));
    }
    now += 1_000;
    return s;
  }

  private static List<String> sent(RestorePlan.Step s) {
    return s.commands().stream().map(c -> c instanceof Command.ConfigSet set
        ? "config-set " + set.node() + " " + set.parameters() : c.getClass().getSimpleName() + " " + c.value()).toList();
  }

  private RestoreStatus status() {
    return cr.getStatus().restore;
  }

  /** Walks to the start of RestoreMaster (status recorded, nothing deleted yet). */
  private void upToRestoreMaster() {
    step(true); // priorities
    step(true); // the daemons' view
    RestorePlan.Step stop = step(true);
    assertThat(sent(stop)).containsExactly("config-set 10.0.0.0:6379 {min-replicas-to-write=3}");
    step(true);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.RESTORE);
  }

  @Test
  void withoutTheClustersNameAsConfirmationNothingIsHeldOrSent() {
    cr.getSpec().restore.inPlace.confirm = "other";
    RestorePlan.Step s = step(true);
    assertThat(s.commands()).isEmpty();
    assertThat(s.source()).isNull();
    assertThat(s.inPlace()).isFalse();
    assertThat(status().phase).isEqualTo(RestoreStatus.PENDING);
    assertThat(status().reason).contains("confirm must be this cluster's name (c)");
    assertThat(s.events()).extracting(StatusPlan.Event::reason).containsExactly("RestoreUnconfirmed");
    assertThat(step(true).events()).as("reported once").isEmpty();
  }

  @Test
  void aBackupNotCompletedOrAPodNotReadyKeepsItPending() {
    backup.getStatus().phase = "Running";
    assertThat(step(true).commands()).isEmpty();
    assertThat(status().reason).isEqualTo("ValkeyBackup snap is not Completed with an object");
    backup.getStatus().phase = ValkeyBackupStatus.COMPLETED;
    pods.set(2, pod(2, "uid-2", false));
    assertThat(step(true).commands()).isEmpty();
    assertThat(status().phase).isEqualTo(RestoreStatus.PENDING);
    assertThat(status().reason).contains("c-2 is not ready");
    elected = null;
    pods.set(2, pod(2, "uid-2", true));
    step(true);
    assertThat(status().reason).contains("do not agree on a master");
  }

  @Test
  void everyStepInOrderFromHoldToLift() {
    RestorePlan.Step hold = step(true);
    assertThat(hold.inPlace()).isTrue();
    assertThat(status().phase).isEqualTo(RestoreStatus.RESTORING);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.HOLD);
    assertThat(status().source).isEqualTo("s3://b/c/c-1.rdb");
    assertThat(hold.events()).extracting(StatusPlan.Event::reason).containsExactly("RestoreStarted", "RestoreStep");
    assertThat(sent(hold)).containsExactly("config-set 10.0.0.0:6379 {replica-priority=0}",
        "config-set 10.0.0.1:6379 {replica-priority=0}", "config-set 10.0.0.2:6379 {replica-priority=0}");
    assertThat(hold.source().placePod()).isEqualTo("c-0");
    assertThat(hold.source().id()).isEqualTo("r1");
    assertThat(hold.replace()).isNull();

    // Priorities set; the hold counts only once every daemon reports them.
    RestorePlan.Step seen = step(false);
    assertThat(sent(seen)).containsExactly("HoldSeen r1");
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.HOLD);
    assertThat(step(true).commands()).as("a failed check is asked again only after a while").isEmpty();
    now += Progress.RETRY_FAILED_MS;
    assertThat(sent(step(true))).containsExactly("HoldSeen r1");

    // Writes refused on the master; then the master's pod is recorded before anything is deleted.
    RestorePlan.Step stop = step(true);
    assertThat(sent(stop)).containsExactly("config-set 10.0.0.0:6379 {min-replicas-to-write=3}");
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.STOP);
    RestorePlan.Step recorded = step(true);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.RESTORE);
    assertThat(status().masterPod).isEqualTo("c-0");
    assertThat(status().masterPodUid).isEqualTo("uid-0");
    assertThat(recorded.replace()).as("not before its uid is recorded").isNull();
    assertThat(recorded.commands()).isEmpty();

    // The StatefulSet must carry this restore for this pod, as its controller has seen it.
    RestorePlan.Step early = step(true);
    assertThat(early.replace()).isNull();
    assertThat(early.progress()).contains("waiting for the StatefulSet");
    sts = statefulSet(early);
    sts.getMetadata().setGeneration(5L);
    assertThat(step(true).replace()).as("the controller has not seen the new template yet").isNull();
    sts.getStatus().setObservedGeneration(5L);
    RestorePlan.Step restart = step(true);
    assertThat(restart.replace()).isEqualTo(new ClusterPlan.PodToReplace("c-0", "uid-0"));
    ledger.put(ClusterPlanner.deletedSlot("c-0"), new CommandLedger.Outcome("uid-0", CommandLedger.State.DONE, now));
    assertThat(step(true).replace()).as("the cache still shows the deleted pod").isNull();

    // Its replacement loads the backup: not Ready, the step waits; a failed init container is reported.
    pods.set(0, new PodBuilder(pod(0, "uid-0b", false)).editStatus().withInitContainerStatuses(
        new ContainerStatusBuilder().withName("restore").withNewState().withNewTerminated().withExitCode(1)
            .withMessage("vigil restore: SHA-256 mismatch\n").endTerminated().endState().build()).endStatus().build());
    RestorePlan.Step failing = step(true);
    assertThat(failing.replace()).isNull();
    assertThat(status().steps.get(2).reason).isEqualTo("init container restore failed (exit 1): vigil restore: SHA-256 mismatch");
    assertThat(failing.events()).extracting(StatusPlan.Event::reason).containsExactly("RestoreStuck");
    pods.set(0, pod(0, "uid-0b", false));
    assertThat(step(true).progress()).isEqualTo("restore: c-0 is loading the backup");
    elected = null;
    pods.set(0, pod(0, "uid-0b", true));
    assertThat(step(true).progress()).as("Ready, but not yet the master the daemons agree on")
        .isEqualTo("restore: c-0 is loading the backup");
    elected = "c-0";

    // Loaded: the replicas must follow it in its new replication history.
    RestorePlan.Step resync = step(false);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.RESYNC);
    assertThat(resync.commands()).singleElement().isInstanceOfSatisfying(Command.ResyncDone.class, c -> {
      assertThat(c.master()).isEqualTo(new HostPort("10.0.0.0", 6379));
      assertThat(c.replicas()).containsExactly(new HostPort("10.0.0.1", 6379), new HostPort("10.0.0.2", 6379));
      assertThat(c.value()).isEqualTo("r1@uid-0b");
    });
    now += Progress.RETRY_FAILED_MS;
    step(true);
    RestorePlan.Step aof = step(true);
    assertThat(status().steps).extracting(x -> x.name).contains(InPlaceRestorePlan.AOF);
    assertThat(sent(aof)).containsExactly("config-set 10.0.0.0:6379 {appendonly=yes}");

    RestorePlan.Step lift = step(true);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.LIFT);
    assertThat(sent(lift)).containsExactly("config-set 10.0.0.0:6379 {replica-priority=100}",
        "config-set 10.0.0.0:6379 {min-replicas-to-write=1}", "config-set 10.0.0.1:6379 {replica-priority=100}",
        "config-set 10.0.0.2:6379 {replica-priority=100}");
    assertThat(lift.source()).as("the hold stays in the ConfigMap until lifted everywhere").isNotNull();
    assertThat(status().phase).isEqualTo(RestoreStatus.RESTORING);

    RestorePlan.Step done = step(true);
    assertThat(status().phase).isEqualTo(RestoreStatus.COMPLETED);
    assertThat(status().completionTime).isNotNull();
    assertThat(done.source()).isNull();
    assertThat(done.inPlace()).isFalse();
    assertThat(done.events()).extracting(StatusPlan.Event::reason).containsExactly("Restored");
    assertThat(status().steps).extracting(x -> x.name + " " + x.phase).containsExactly(
        "HoldFailovers Done", "StopWrites Done", "RestoreMaster Done", "ResyncReplicas Done", "EnableAof Done",
        "LiftHold Done");
    assertThat(status().steps).allSatisfy(x -> assertThat(x.startTime).isNotNull())
        .allSatisfy(x -> assertThat(x.completionTime).isNotNull());

    // The same id again (a GitOps re-apply) restores nothing; a new id restores again.
    assertThat(step(true).commands()).isEmpty();
    assertThat(status().phase).isEqualTo(RestoreStatus.COMPLETED);
    cr.getSpec().restore.inPlace.id = "r2";
    RestorePlan.Step again = step(true);
    assertThat(status().id).isEqualTo("r2");
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.HOLD);
    assertThat(again.commands()).hasSize(3);
  }

  @Test
  void anOperatorRestartResumesAtTheRecordedStepAndNeverDeletesTheRestartedMasterAgain() {
    upToRestoreMaster();
    sts = statefulSet(plan());
    // Restart before the deletion: the ledger is gone, the recorded uid still names the old pod.
    ledger.clear();
    assertThat(plan().replace()).isEqualTo(new ClusterPlan.PodToReplace("c-0", "uid-0"));
    // The pod was deleted, then the operator restarted: the pod it sees is a new one.
    pods.set(0, pod(0, "uid-0b", false));
    ledger.clear();
    RestorePlan.Step s = step(true);
    assertThat(s.replace()).isNull();
    assertThat(s.commands()).as("nothing is sent again to a step done").isEmpty();
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.RESTORE);
    // Restart at the hold's check: the priorities are set again (idempotent), the check asked again.
    cr.getStatus().restore = null;
    ledger.clear();
    pods.set(0, pod(0, "uid-0", true));
    step(true);
    ledger.clear();
    assertThat(sent(step(true))).hasSize(3).allMatch(x -> x.endsWith("{replica-priority=0}"));
  }

  @Test
  void removingInPlaceWhileItRunsLiftsTheHoldAndEndsAbandoned() {
    upToRestoreMaster();
    cr.getSpec().restore = null;
    RestorePlan.Step lift = step(true);
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.LIFT);
    assertThat(lift.source()).isNull();
    assertThat(lift.events()).extracting(StatusPlan.Event::reason).containsExactly("RestoreAbandoned", "RestoreStep");
    assertThat(sent(lift)).contains("config-set 10.0.0.0:6379 {min-replicas-to-write=1}",
        "config-set 10.0.0.2:6379 {replica-priority=100}");
    step(true);
    assertThat(status().phase).isEqualTo(RestoreStatus.ABANDONED);
    assertThat(status().steps).extracting(x -> x.name + " " + x.phase).containsExactly(
        "HoldFailovers Done", "StopWrites Done", "RestoreMaster Abandoned", "LiftHold Done");
  }

  @Test
  void aNewIdWhileTheMasterCannotLoadTheBrokenBackupRestartsOverTheDownMaster() {
    upToRestoreMaster();
    sts = statefulSet(plan());
    step(true);
    pods.set(0, pod(0, "uid-0b", false)); // stuck in its restore init container
    step(true);
    cr.getSpec().restore.inPlace.id = "r2";
    RestorePlan.Step hold = step(true);
    assertThat(hold.events()).extracting(StatusPlan.Event::reason).contains("RestoreRestarted");
    assertThat(sent(hold)).as("the replicas' priorities are still 0; the daemons are asked again")
        .containsExactly("HoldSeen r2");
    assertThat(step(true).commands()).as("a master that is down takes no writes to stop").isEmpty();
    assertThat(status().step).isEqualTo(InPlaceRestorePlan.RESTORE);
    assertThat(status().masterPodUid).isEqualTo("uid-0b");
    sts = statefulSet(plan());
    assertThat(plan().source().id()).isEqualTo("r2");
    assertThat(plan().replace()).isEqualTo(new ClusterPlan.PodToReplace("c-0", "uid-0b"));
  }

  @Test
  void throughTheWholePlannerRollsAndScalingWaitAndOnlyTheMasterIsRestarted() {
    ClusterPlanner planner = new ClusterPlanner(Endpoints.POD_IPS, "vigil:test");
    upToRestoreMaster();
    sts = statefulSet(plan());
    sts.getStatus().setUpdateRevision("restore-rev");
    List<Pod> labelled = pods.stream().map(p -> new PodBuilder(p).editMetadata()
        .addToLabels(Labels.of(cr, Labels.VALKEY)).addToLabels("controller-revision-hash", "old-rev").endMetadata()
        .build()).toList();
    Map<String, HasMetadata> existing = Map.of(ClusterSnapshot.ref(StatefulSet.class, "c"), sts);
    ClusterPlan p = planner.plan(snapshot(labelled, existing));
    assertThat(p.replacePod()).isEqualTo(new ClusterPlan.PodToReplace("c-0", "uid-0"));
    assertThat(p.commands()).noneMatch(c -> c instanceof Command.Switchover);
    assertThat(p.recheckAfter()).isPresent();

    cr.getSpec().replicas = 5;
    p = planner.plan(snapshot(labelled, existing));
    assertThat(p.apply()).filteredOn(o -> o instanceof StatefulSet)
        .allSatisfy(o -> assertThat(((StatefulSet) o).getSpec().getReplicas()).isEqualTo(3));
    assertThat(p.replacePod()).isEqualTo(new ClusterPlan.PodToReplace("c-0", "uid-0"));
  }

  /** A snapshot with the daemons agreeing on c-0. */
  private ClusterSnapshot snapshot(List<Pod> labelled, Map<String, HasMetadata> existing) {
    return new ClusterSnapshot(cr, labelled, existing, "pw", null, Optional.of(new HostPort("10.0.0.0", 6379)),
        Optional.empty(), ledger, now, backup);
  }

  @Test
  void aBackupGivenByLocationNeedsNoResourceAndItsStepStatusesHaveNames() {
    cr.getSpec().restore.backup = null;
    cr.getSpec().restore.destination = new S3Destination();
    cr.getSpec().restore.destination.bucket = "archive";
    cr.getSpec().restore.key = "k.rdb";
    backup = null;
    RestorePlan.Step s = step(true);
    assertThat(status().source).isEqualTo("s3://archive/k.rdb");
    assertThat(s.source().key()).isEqualTo("k.rdb");
    assertThat(status().steps).extracting(x -> x.name + " " + x.phase).containsExactly("HoldFailovers "
        + RestoreStepStatus.RUNNING);
  }

  @Test
  void aClusterCreatedWithInPlaceIsRestoredOnceAsANewClusterAndNotAgainInPlace() {
    cr.setStatus(null);
    assertThat(InPlaceRestorePlan.applies(cr, false)).as("no pods yet: the new-cluster restore").isFalse();
    RestorePlan.Step fresh = RestorePlan.next(cr, backup, false, null, List.of(), List.of(), Map.of(),
        "vigil-backup:test", now);
    assertThat(fresh.status().id).isEqualTo("r1");
    assertThat(fresh.status().step).isNull();
    cr.setStatus(new ValkeyClusterStatus());
    cr.getStatus().restore = fresh.status();
    assertThat(InPlaceRestorePlan.applies(cr, true)).as("its pods exist now; still the new-cluster restore's")
        .isFalse();
    cr.getStatus().restore.phase = RestoreStatus.COMPLETED;
    assertThat(InPlaceRestorePlan.applies(cr, true)).isTrue();
    RestorePlan.Step s = plan();
    assertThat(s.commands()).isEmpty();
    assertThat(s.inPlace()).isFalse();
    assertThat(s.status().phase).isEqualTo(RestoreStatus.COMPLETED);
  }
}

