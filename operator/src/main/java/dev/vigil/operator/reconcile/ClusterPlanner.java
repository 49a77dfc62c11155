package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.ConfigMapModel;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.Names;
import dev.vigil.operator.reconcile.StatusPlan.MasterChange;
import dev.vigil.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan of one reconcile, as a pure function of a {@link ClusterSnapshot}: validate; compute
 * every desired object from the spec and what was observed (password, pods, the master the
 * daemons agree on); keep what already matches; take the next step of a change of size
 * ({@link ScalePlan}) or of a rolling change ({@link RollPlan}), with a switchover first where the
 * master's pod must go ({@link SwitchoverPlan}); and the status. It never decides a failover.
 */
final class ClusterPlanner {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** Daemons are checked for removed pods they still count at most this often. */
  static final long FORGET_PERIOD_MS = 30_000;
  /** While something is in progress, look again this soon even if no event comes. */
  static final Duration IN_PROGRESS_RECHECK = Duration.ofSeconds(2);

  /**
   * Marks an object with a hash of everything the operator wants in it, so that a field the spec
   * no longer asks for (an annotation, a toleration) also counts as a change: the subset check
   * only sees fields that are missing or different, never fields that should go.
   */
  static final String APPLIED_HASH = "vigil.dev/applied-hash";

  private final Endpoints endpoints;
  private final String daemonImage;
  /** The backup agent's image, for restores. */
  volatile String backupImage;

  ClusterPlanner(Endpoints endpoints, String daemonImage) {
    this.endpoints = endpoints;
    this.daemonImage = daemonImage;
    this.backupImage = dev.vigil.operator.model.BackupJobModel.imageBeside(daemonImage);
  }

  ClusterPlan plan(ClusterSnapshot s) {
    ValkeyCluster cr = s.cluster();
    List<Pod> pods = s.pods();
    String now = Instant.ofEpochMilli(s.now()).toString();
    List<String> problems = new ArrayList<>(SpecValidator.problems(cr.getSpec()));
    TlsModeChange tlsMode = TlsModeChange.of(cr, pods, s.statefulSet(), s.agreed());
    if (problems.isEmpty()) {
      tlsMode.refusal().ifPresent(problems::add);
    }
    List<HostPort> daemons = endpoints.daemons(cr, pods);
    // The daemons' port takes no password in the pods the operator builds.
    ClusterPlan.Watch watch = new ClusterPlan.Watch(Names.masterName(cr), daemons,
        problems.isEmpty() ? cr.getSpec().sentinel.effectiveQuorum(ModelInput.daemons(cr)) : 0);
    if (!problems.isEmpty()) {
      return ClusterPlan.statusOnly(watch, StatusPlan.invalid(cr, problems, null, now));
    }
    if (s.password() == null) {
      // Nothing can start without the password: say so where the user looks, apply nothing.
      return ClusterPlan.statusOnly(watch, StatusPlan.invalid(cr, List.of(s.passwordProblem()), null, now));
    }
    // Only what the daemons agree on now may decide which pod to keep or replace: a recorded
    // master may be stale (a failover while no operator ran).
    String elected = s.agreed().flatMap(m -> endpoints.podFor(cr, m, pods)).orElse(null);
    String recorded = cr.getStatus() == null ? null : cr.getStatus().master;
    MasterChange change = elected == null ? null : new MasterChange(elected, s.agreed().get().toString());
    RestorePlan.Step restore = InPlaceRestorePlan.applies(cr, s.statefulSet() != null)
        ? InPlaceRestorePlan.next(new InPlaceRestorePlan.Input(cr, s.restoreBackup(), s.statefulSet() != null,
            s.statefulSet(), elected, pods, nodes(cr, pods), daemons, s.commands(), backupImage, s.now()))
        : RestorePlan.next(cr, s.restoreBackup(), s.statefulSet() != null, elected, pods, nodes(cr, pods),
            s.commands(), backupImage, s.now());
    StatefulSet sts = s.statefulSet();
    int current = sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
    // The daemons' peer list names every pod still there during a scale-in, terminating too.
    int podsAround = current;
    for (Pod p : pods) {
      podsAround = Math.max(podsAround, Names.ordinal(cr, p.getMetadata().getName()) + 1);
    }
    // The pods are built in the shape spec.tls asks for, or in the next phase of a migration
    // towards it (then from the migration's ports, which the spec no longer names).
    ModelInput in = new ModelInput(tlsMode.build(), s.password(),
        elected != null ? elected : shownMaster(s, recorded), daemonImage, restore.source(), podsAround,
        tlsMode.target());

    int wanted = cr.getSpec().replicas;
    List<NodeView> nodes = nodes(cr, pods);
    Decisions before = s.decisions();
    // An in-place restore holds every change of size or template: they would move or restart
    // pods, and a switchover cannot happen while failovers are held.
    ScalePlan.Step scale = restore.inPlace()
        ? new ScalePlan.Step(current == wanted || current == 0 ? null : "scaling to " + wanted
            + " waits for the in-place restore", null, List.of(), before)
        : ScalePlan.next(wanted, current, elected, nodes, before, s.commands(),
            cr.getSpec().config.getOrDefault("replica-priority", "100"), s.now());
    List<Command> commands = new ArrayList<>(scale.commands());
    commands.addAll(restore.commands());
    String holding = scale.hold();
    if (holding == null && !restore.inPlace()) {
      commands.addAll(minReplicasAcrossOnePod(cr, nodes, current, s));
    }
    commands.addAll(TlsObserved.reloads(s, nodes));

    DesiredState desired = DesiredState.of(in);
    List<HasMetadata> apply = new ArrayList<>();
    for (HasMetadata o : desired.objects()) {
      if (restore.holdPods() && o instanceof StatefulSet) {
        continue;
      }
      if (holding != null && o instanceof StatefulSet held) {
        held.getSpec().setReplicas(current);
      }
      if (needsWrite(s.existing().get(ClusterSnapshot.ref(o.getClass(), o.getMetadata().getName())), o)) {
        apply.add(o);
      }
    }
    List<HasMetadata> delete = new ArrayList<>();
    for (DesiredState.Absent a : desired.absent()) {
      HasMetadata gone = s.existing(a.kind(), a.name());
      if (gone != null && isOwned(cr, gone)) {
        delete.add(gone);
      }
    }

    // A roll waits while the size changes: both remove pods, and only one may at a time.
    RollStep roll = restore.inPlace() ? new RollStep(null, restore.replace(), null)
        : holding != null || sts == null ? RollStep.NONE : current != wanted
        ? new RollStep("rolling changes wait until scaling to " + wanted + " is done", null, null)
        : roll(s, sts, pods, elected);
    String moveOff = scale.moveMasterOff() != null ? scale.moveMasterOff() : roll.moveMasterOff();
    if (moveOff == null && roll.progress() == null && holding == null && tlsMode.moveMasterFirst()) {
      roll = new RollStep("the walk across TLS only waits for the master at an address on the ports that stay: "
          + "switching it over", null, elected);
      moveOff = elected;
    }
    SwitchoverPlan.Step switchover = SwitchoverPlan.next(moveOff, scale.decisions(), s.commands(), s.now(),
        Names.masterName(cr), daemons);
    switchover.command().ifPresent(commands::add);
    String progress = holding != null ? holding : roll.progress() != null ? roll.progress() : restore.progress();
    if (progress == null && current == wanted) {
      forgetRemoved(cr, pods, s, daemons).ifPresent(commands::add);
    }
    Decisions after = switchover.decisions();
    return new ClusterPlan(watch, after.equals(before) ? Optional.empty() : Optional.of(after), apply, delete,
        roll.replace(), commands,
        RestorePlan.withRestore(cr, StatusPlan.observed(cr, pods, elected != null ? elected : recorded,
            s.disagreement().orElse(null), progress, change, now, st -> {
              TlsObserved.status(s, st, now);
              st.tlsMode = tlsMode.status();
            }), restore),
        progress != null || TlsObserved.reloading(s, nodes) ? Optional.of(IN_PROGRESS_RECHECK) : Optional.empty());
  }

  /**
   * Where the write Service points while the daemons have not (yet) agreed, e.g. just after
   * the operator started: where it points now, so it does not flap; else the recorded master;
   * else null (a new cluster: pod 0 bootstraps).
   */
  private static String shownMaster(ClusterSnapshot s, String recorded) {
    Service write = s.existing(Service.class, Names.writeService(s.cluster()));
    if (write != null && write.getSpec().getSelector() != null
        && write.getSpec().getSelector().get(Labels.POD_NAME) != null) {
      return write.getSpec().getSelector().get(Labels.POD_NAME);
    }
    return recorded;
  }

  private List<NodeView> nodes(ValkeyCluster cr, List<Pod> pods) {
    List<NodeView> out = new ArrayList<>();
    for (Pod p : pods) {
      if (!Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
        continue;
      }
      boolean reachable = p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
          && p.getStatus().getPodIP() != null;
      out.add(new NodeView(p.getMetadata().getName(), Names.ordinal(cr, p.getMetadata().getName()),
          p.getMetadata().getUid() != null ? p.getMetadata().getUid() : p.getMetadata().getName(), reachable,
          reachable ? endpoints.node(cr, p) : null));
    }
    return out;
  }

  /**
   * min-replicas-to-write is on while there are replicas to write to. A node reads it at start
   * from the ConfigMap; when the size crosses one pod, running nodes are told at once (a lone
   * master with it on would refuse every write), which spares them a restart.
   */
  private static List<Command> minReplicasAcrossOnePod(ValkeyCluster cr, List<NodeView> nodes, int current,
      ClusterSnapshot s) {
    int wanted = cr.getSpec().replicas;
    if (current == 0 || (current > 1) == (wanted > 1) || cr.getSpec().config.containsKey("min-replicas-to-write")) {
      return List.of();
    }
    String value = wanted > 1 ? "1" : "0";
    List<Command> out = new ArrayList<>();
    for (NodeView n : nodes) {
      String slot = "min-replicas:" + n.uid();
      if (n.ordinal() < wanted && n.reachable()
          && Progress.of(s.commands().get(slot), value, s.now()) == Progress.SEND) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("min-replicas-to-write", value);
        parameters.put("min-replicas-max-lag",
            Integer.toString(ConfigMapModel.minReplicasMaxLag(cr.getSpec().sentinel)));
        out.add(new Command.ConfigSet(slot, value, n.address(), parameters));
      }
    }
    return out;
  }

  /**
   * After a scale-in the daemons still count the removed pods; every so often, once the size is
   * stable, the first daemon that counts more than exist is reset.
   */
  private static Optional<Command> forgetRemoved(ValkeyCluster cr, List<Pod> pods, ClusterSnapshot s,
      List<HostPort> daemons) {
    long valkeyPods = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).count();
    if (valkeyPods != cr.getSpec().replicas || daemons.isEmpty()) {
      return Optional.empty();
    }
    CommandLedger.Outcome last = s.commands().get("forget");
    if (last != null && (last.state() == CommandLedger.State.IN_FLIGHT || s.now() - last.at() < FORGET_PERIOD_MS)) {
      return Optional.empty();
    }
    return Optional.of(new Command.ForgetGone(Names.masterName(cr), daemons, ModelInput.daemons(cr),
        cr.getSpec().replicas - 1));
  }

  /** A roll's next step: what is in progress, the pod to delete, the master to move off. */
  private record RollStep(String progress, ClusterPlan.PodToReplace replace, String moveMasterOff) {
    static final RollStep NONE = new RollStep(null, null, null);
  }

  private static RollStep roll(ClusterSnapshot s, StatefulSet sts, List<Pod> pods, String masterPod) {
    ValkeyCluster cr = s.cluster();
    if (sts.getStatus() == null || sts.getStatus().getUpdateRevision() == null) {
      return RollStep.NONE;
    }
    List<RollPlan.PodView> views = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .map(p -> new RollPlan.PodView(p.getMetadata().getName(),
            p.getMetadata().getLabels().get("controller-revision-hash"),
            // A terminating pod is on its way out, whatever its Ready condition still says; so
            // is one this operator deleted that the cache still shows.
            StatusPlan.isReady(p) && p.getMetadata().getDeletionTimestamp() == null
                && !deletedAlready(s, p)))
        .toList();
    RollPlan.Step step = RollPlan.next(views, sts.getStatus().getUpdateRevision(), masterPod, cr.getSpec().replicas);
    if (step instanceof RollPlan.Delete d) {
      Pod pod = pods.stream().filter(p -> p.getMetadata().getName().equals(d.pod())).findFirst().orElseThrow();
      return new RollStep("replacing " + d.pod(), new ClusterPlan.PodToReplace(d.pod(), pod.getMetadata().getUid()),
          null);
    }
    if (step instanceof RollPlan.SwitchOver sw) {
      return new RollStep("switching the master off " + sw.master() + " before replacing it", null, sw.master());
    }
    if (step instanceof RollPlan.Wait w) {
      return new RollStep("rolling change waits: " + w.reason(), null, null);
    }
    return RollStep.NONE;
  }

  static String deletedSlot(String pod) {
    return "deleted:" + pod;
  }

  private static boolean deletedAlready(ClusterSnapshot s, Pod p) {
    CommandLedger.Outcome o = s.commands().get(deletedSlot(p.getMetadata().getName()));
    return o != null && java.util.Objects.equals(o.value(), String.valueOf(p.getMetadata().getUid()));
  }

  /** Whether the server's copy lacks something we want (and marks {@code desired} with its hash). */
  static boolean needsWrite(HasMetadata existing, HasMetadata desired) {
    String hash = sha256(JSON.asJson(desired));
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    desired.getMetadata().getAnnotations().put(APPLIED_HASH, hash);
    return existing == null || !JsonSubset.contains(json(existing), json(desired));
  }

  private static String sha256(String text) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(Object o) {
    return JSON.convertValue(o, JsonNode.class);
  }

  static boolean isOwned(ValkeyCluster cr, HasMetadata o) {
    return o.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> r.getUid() != null && r.getUid().equals(cr.getMetadata().getUid()));
  }
}
