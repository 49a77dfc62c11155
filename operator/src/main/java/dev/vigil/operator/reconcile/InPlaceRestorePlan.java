package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.InPlaceRestore;
import dev.vigil.operator.api.RestoreSpec;
import dev.vigil.operator.api.RestoreStatus;
import dev.vigil.operator.api.RestoreStepStatus;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.RestoreSource;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The restore of a running cluster in place ({@code spec.restore.inPlace}), a pure function of
 * the cluster (its spec, and its status, which records the step reached so that an operator that
 * restarts resumes there), the backup, the pods, the master the daemons agree on, the
 * StatefulSet and earlier commands' outcomes. Steps, in order; each is idempotent:
 * <ol>
 *   <li>{@code HoldFailovers}: {@code CONFIG SET replica-priority 0} on every node (and in the
 *       ConfigMap, for a pod that restarts meanwhile), then wait until every daemon reports every
 *       replica at priority 0: a daemon reads priorities from its periodic INFO, so until then it
 *       could still promote a replica while the master is down.
 *   <li>{@code StopWrites}: {@code CONFIG SET min-replicas-to-write N} on the master, N the number
 *       of pods, which no master can meet: writes fail at once with NOREPLICAS (reads go on).
 *       Chosen over {@code CLIENT PAUSE WRITE}, which would leave clients blocked until their
 *       timeouts, and which the daemons' own fencing lifts with {@code CLIENT UNPAUSE}. The
 *       master's restart drops it (its configuration comes from the ConfigMap).
 *   <li>{@code RestoreMaster}: the master's pod (recorded with its uid before anything is
 *       deleted) is deleted once the StatefulSet carries the restore's init containers for it
 *       and this id; its new pod places the RDB over its volume (AOF removed, {@code appendonly
 *       no} for the first load). Done when the new pod is Ready and the daemons agree it is the
 *       master: the write Service keeps selecting it, so it has no endpoint while it is down or
 *       loading, and none of a replica that still holds the old data.
 *   <li>{@code ResyncReplicas}: done when every replica follows the restarted master, link up, no
 *       sync under way, with its replication ID (which a replica only has after syncing from it).
 *   <li>{@code EnableAof}: {@code CONFIG SET appendonly yes} on the master if configured.
 *   <li>{@code LiftHold}: the configured replica-priority on every node, the configured
 *       min-replicas-to-write on the master; then Completed, and the restore's parts leave the
 *       template and the ConfigMap (the master's pod is replaced once more, after a switchover).
 * </ol>
 * Removing {@code spec.restore.inPlace} while it runs lifts the hold and ends it as Abandoned.
 */
final class InPlaceRestorePlan {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String HOLD = "HoldFailovers";
  static final String STOP = "StopWrites";
  static final String RESTORE = "RestoreMaster";
  static final String RESYNC = "ResyncReplicas";
  static final String AOF = "EnableAof";
  static final String LIFT = "LiftHold";
  static final List<String> STEPS = List.of(HOLD, STOP, RESTORE, RESYNC, AOF, LIFT);

  private InPlaceRestorePlan() {}

  /**
   * What the plan reads besides the cluster.
   *
   * @param podsExist whether the cluster has its StatefulSet (else the new-cluster restore applies)
   * @param elected the pod the daemons agree is master, or null
   * @param nodes the Valkey pods
   * @param daemons where the daemons listen
   */
  record Input(ValkeyCluster cr, ValkeyBackup backup, boolean podsExist, StatefulSet sts, String elected,
      List<Pod> pods, List<NodeView> nodes, List<HostPort> daemons, Map<String, CommandLedger.Outcome> commands,
      String image, long now) {}

  /** Whether this plan, rather than the new-cluster restore, decides the cluster's restore. */
  static boolean applies(ValkeyCluster cr, boolean podsExist) {
    RestoreSpec spec = cr.getSpec().restore;
    RestoreStatus before = cr.getStatus() == null ? null : cr.getStatus().restore;
    if (before != null && before.step != null && RestoreStatus.RESTORING.equals(before.phase)) {
      return true; // under way: only this plan finishes it (or lifts its hold)
    }
    if (spec == null || spec.inPlace == null || !podsExist) {
      return false;
    }
    // A new cluster's restore under way (Restoring without a step) stays the new-cluster plan's.
    return before == null || before.step != null || !RestoreStatus.RESTORING.equals(before.phase);
  }

  static RestorePlan.Step next(Input in) {
    ValkeyCluster cr = in.cr();
    RestoreSpec spec = cr.getSpec().restore;
    InPlaceRestore ip = spec == null ? null : spec.inPlace;
    RestoreStatus before = cr.getStatus() == null ? null : cr.getStatus().restore;
    String at = Instant.ofEpochMilli(in.now()).toString();
    List<StatusPlan.Event> events = new ArrayList<>();
    boolean running = before != null && before.step != null && RestoreStatus.RESTORING.equals(before.phase);

    if (ip == null) {
      // Removed while under way: lift what was held, nothing else.
      RestoreStatus st = JSON.clone(before);
      if (!LIFT.equals(st.step)) {
        RestoreStepStatus left = current(st);
        left.phase = RestoreStepStatus.ABANDONED;
        left.completionTime = at;
        st.reason = "spec.restore.inPlace was removed during " + st.step + "; lifting the hold";
        events.add(new StatusPlan.Event("Warning", "RestoreAbandoned", st.reason));
        enter(st, LIFT, at, events);
      }
      return lift(in, st, null, at, events, RestoreStatus.ABANDONED);
    }
    if (before != null && Objects.equals(before.id, ip.id) && !running
        && !RestoreStatus.PENDING.equals(before.phase)) {
      return RestorePlan.Step.of(null, before, List.of(), List.of(), null); // this id was done
    }
    boolean confirmed = cr.getMetadata().getName().equals(ip.confirm);
    boolean restart = running && !Objects.equals(before.id, ip.id) && confirmed;
    RestoreStatus st = before != null && (Objects.equals(before.id, ip.id) || running) ? JSON.clone(before)
        : new RestoreStatus();
    if (restart) {
      // Another id while one runs (e.g. its backup is broken and the master cannot start):
      // everything held stays held and the steps run again for the new one.
      events.add(new StatusPlan.Event("Warning", "RestoreRestarted", "spec.restore.inPlace.id changed from "
          + before.id + " to " + ip.id + " during " + before.step + "; restoring " + ip.id + " from the start"));
      st.id = ip.id;
      st.startTime = at;
      st.steps = new ArrayList<>();
      st.masterPod = null;
      st.masterPodUid = null;
      enter(st, HOLD, at, events);
    } else if (running && !Objects.equals(before.id, ip.id)) {
      st.reason = "spec.restore.inPlace.confirm must be this cluster's name to restore " + ip.id
          + "; restore " + before.id + " goes on";
    }
    if (!running) {
      st.id = ip.id;
    }
    st.backup = spec.backup;
    boolean started = st.step != null;

    if (!started && !confirmed) {
      return pending(st, "spec.restore.inPlace.confirm must be this cluster's name (" + cr.getMetadata().getName()
          + "): restoring in place discards every key it holds", "RestoreUnconfirmed", events);
    }
    RestoreSource source = source(spec, in);
    if (source == null) {
      String why = spec.backup == null ? "no source" : in.backup() == null
          ? "ValkeyBackup " + spec.backup + " does not exist"
          : "ValkeyBackup " + spec.backup + " is not Completed with an object";
      if (!started) {
        return pending(st, why, "RestorePending", events);
      }
      // Under way: the StatefulSet loses the restore's parts, so no master restart is started
      // until the source is back (RestoreMaster waits for them).
      st.reason = why;
    } else {
      st.source = source.url();
    }
    if (!started) {
      String unhealthy = unhealthy(in);
      if (unhealthy != null) {
        return pending(st, "waiting for a healthy cluster before restoring in place: " + unhealthy,
            "RestorePending", events);
      }
      st.phase = RestoreStatus.RESTORING;
      st.startTime = at;
      st.completionTime = null;
      st.reason = null;
      st.steps = new ArrayList<>();
      st.masterPod = null;
      st.masterPodUid = null;
      events.add(new StatusPlan.Event("Normal", "RestoreStarted", "restoring " + st.source + " in place: "
          + "failovers held, writes refused until the master has loaded it"));
      enter(st, HOLD, at, events);
    }
    RestoreSource template = source == null ? null : source.inPlace(st.masterPod != null ? st.masterPod
        : in.elected(), st.id);
    return advance(in, st, before, template, at, events);
  }

  /** Runs the steps from the one reached, as far as they are done already. */
  private static RestorePlan.Step advance(Input in, RestoreStatus st, RestoreStatus before, RestoreSource template,
      String at, List<StatusPlan.Event> events) {
    while (true) {
      Wait w = switch (st.step) {
        case HOLD -> hold(in, st);
        case STOP -> stopWrites(in);
        case RESTORE -> restoreMaster(in, st, before, template);
        case RESYNC -> resync(in, st);
        case AOF -> aof(in, st);
        default -> null;
      };
      if (LIFT.equals(st.step)) {
        return lift(in, st, template, at, events, RestoreStatus.COMPLETED);
      }
      if (w != null) {
        RestoreStepStatus step = current(st);
        if (w.reason() != null && !w.reason().equals(step.reason)) {
          events.add(new StatusPlan.Event("Warning", "RestoreStuck", st.step + ": " + w.reason()));
        }
        step.reason = w.reason();
        return RestorePlan.Step.inPlace(template, st, events, w.commands(), w.progress(), w.replace());
      }
      finish(st, st.step, at);
      String next = STEPS.get(STEPS.indexOf(st.step) + 1);
      if (RESTORE.equals(next)) {
        st.masterPod = in.elected();
        st.masterPodUid = node(in, in.elected()).uid();
        template = template == null ? null : template.inPlace(st.masterPod, st.id);
      }
      enter(st, next, at, events);
    }
  }

  /** A step not done yet: commands to send, what it waits for, and why it does not progress if stuck. */
  private record Wait(List<Command> commands, String progress, String reason, ClusterPlan.PodToReplace replace) {
    static Wait of(List<Command> commands, String progress) {
      return new Wait(commands, progress, null, null);
    }
  }

  private static Wait hold(Input in, RestoreStatus st) {
    List<Command> send = new ArrayList<>();
    boolean all = true;
    for (NodeView n : in.nodes()) {
      if (!n.reachable() || !ready(in, n.name())) {
        // Not running Valkey yet: it reads priority 0 from the ConfigMap when it starts (and
        // the daemons' check below covers it).
        continue;
      }
      switch (Progress.of(in.commands().get(holdSlot(n)), "0", in.now())) {
        case SEND -> {
          send.add(new Command.ConfigSet(holdSlot(n), "0", n.address(), Map.of("replica-priority", "0")));
          all = false;
        }
        case WAIT -> all = false;
        case DONE -> { }
      }
    }
    if (!all) {
      return Wait.of(send, "restore: holding failovers (replica-priority 0 on every node)");
    }
    int replicas = in.nodes().size() - 1;
    String value = st.id;
    return switch (Progress.of(in.commands().get("restore-hold-seen"), value, in.now())) {
      case DONE -> null;
      case SEND -> Wait.of(List.of(new Command.HoldSeen(value, dev.vigil.operator.model.Names.masterName(in.cr()),
          in.daemons(), replicas)), "restore: waiting until every daemon sees the replicas at priority 0");
      case WAIT -> Wait.of(List.of(), "restore: waiting until every daemon sees the replicas at priority 0");
    };
  }

  private static Wait stopWrites(Input in) {
    NodeView m = in.elected() == null ? null : node(in, in.elected());
    if (m == null) {
      return new Wait(List.of(), "restore: waiting for the master to stop its writes", "no master the daemons agree on",
          null);
    }
    if (!m.reachable() || !ready(in, m.name())) {
      return null; // a master that is down takes no writes (a restore started again, over a failed one)
    }
    String value = Integer.toString(in.cr().getSpec().replicas);
    return switch (Progress.of(in.commands().get(writesSlot(m)), value, in.now())) {
      case DONE -> null;
      case SEND -> Wait.of(List.of(new Command.ConfigSet(writesSlot(m), value, m.address(),
          Map.of("min-replicas-to-write", value))), "restore: refusing writes on " + m.name());
      case WAIT -> Wait.of(List.of(), "restore: refusing writes on " + m.name());
    };
  }

  private static Wait restoreMaster(Input in, RestoreStatus st, RestoreStatus before, RestoreSource template) {
    String pod = st.masterPod;
    if (before == null || !RESTORE.equals(before.step) || !Objects.equals(before.masterPodUid, st.masterPodUid)) {
      // The pod and its uid are recorded before it is deleted, so a new operator knows whether
      // the pod it sees is the one to delete or its replacement.
      return Wait.of(List.of(), "restore: recording " + pod + " before restarting it");
    }
    Pod p = in.pods().stream().filter(x -> x.getMetadata().getName().equals(pod)).findFirst().orElse(null);
    if (p != null && Objects.equals(p.getMetadata().getUid(), st.masterPodUid)) {
      CommandLedger.Outcome deleted = in.commands().get(ClusterPlanner.deletedSlot(pod));
      if (deleted != null && Objects.equals(deleted.value(), st.masterPodUid)) {
        return Wait.of(List.of(), "restore: " + pod + " is being restarted");
      }
      if (template == null || !templateLive(in.sts(), pod, st.id)) {
        return Wait.of(List.of(), "restore: waiting for the StatefulSet to carry the restore before restarting " + pod);
      }
      return new Wait(List.of(), "restore: restarting " + pod + " onto the backup", null,
          new ClusterPlan.PodToReplace(pod, st.masterPodUid));
    }
    String failed = p == null ? null : failedInit(p);
    if (p == null || !StatusPlan.isReady(p) || !pod.equals(in.elected())) {
      return new Wait(List.of(), "restore: " + pod + " is loading the backup", failed, null);
    }
    return null;
  }

  private static Wait resync(Input in, RestoreStatus st) {
    NodeView m = node(in, st.masterPod);
    if (m == null || !m.reachable() || !st.masterPod.equals(in.elected())) {
      return new Wait(List.of(), "restore: waiting for " + st.masterPod + " as master", st.masterPod
          + " is not the master the daemons agree on", null);
    }
    List<HostPort> replicas = in.nodes().stream().filter(n -> !n.name().equals(st.masterPod))
        .map(NodeView::address).filter(Objects::nonNull).toList();
    if (replicas.size() < in.nodes().size() - 1) {
      return Wait.of(List.of(), "restore: waiting for every replica to have an address");
    }
    if (replicas.isEmpty()) {
      return null;
    }
    String value = st.id + "@" + m.uid();
    return switch (Progress.of(in.commands().get("restore-resync"), value, in.now())) {
      case DONE -> null;
      case SEND -> Wait.of(List.of(new Command.ResyncDone(value, m.address(), replicas)),
          "restore: waiting for the replicas' full resync from " + m.name());
      case WAIT -> Wait.of(List.of(), "restore: waiting for the replicas' full resync from " + m.name());
    };
  }

  private static Wait aof(Input in, RestoreStatus st) {
    if (!"yes".equalsIgnoreCase(in.cr().getSpec().config.get("appendonly"))) {
      return null;
    }
    NodeView m = node(in, st.masterPod);
    if (m == null || !m.reachable()) {
      return Wait.of(List.of(), "restore: waiting for " + st.masterPod + " to turn AOF on");
    }
    String slot = "restore-aof:" + m.uid();
    return switch (Progress.of(in.commands().get(slot), "yes", in.now())) {
      case DONE -> null;
      case SEND -> Wait.of(List.of(new Command.ConfigSet(slot, "yes", m.address(), Map.of("appendonly", "yes"))),
          "restore: turning AOF on on " + m.name());
      case WAIT -> Wait.of(List.of(), "restore: turning AOF on on " + m.name());
    };
  }

  /** The configured priority back on every node, the configured write rule on the master; then {@code end}. */
  private static RestorePlan.Step lift(Input in, RestoreStatus st, RestoreSource template, String at,
      List<StatusPlan.Event> events, String end) {
    String priority = in.cr().getSpec().config.getOrDefault("replica-priority", "100");
    String writes = in.cr().getSpec().config.getOrDefault("min-replicas-to-write",
        in.cr().getSpec().replicas > 1 ? "1" : "0");
    List<Command> send = new ArrayList<>();
    boolean all = true;
    for (NodeView n : in.nodes()) {
      if (!n.reachable()) {
        continue; // restarts from the ConfigMap, which no longer holds anything once this is done
      }
      // A pod that is not ready may not run Valkey at all (a failed restore): sent, not waited for.
      boolean mustTake = ready(in, n.name());
      List<Command.ConfigSet> wanted = new ArrayList<>(List.of(
          new Command.ConfigSet(holdSlot(n), priority, n.address(), Map.of("replica-priority", priority))));
      if (n.name().equals(in.elected())) {
        wanted.add(new Command.ConfigSet(writesSlot(n), writes, n.address(), Map.of("min-replicas-to-write", writes)));
      }
      for (Command.ConfigSet c : wanted) {
        switch (Progress.of(in.commands().get(c.slot()), c.value(), in.now())) {
          case SEND -> {
            send.add(c);
            all &= !mustTake;
          }
          case WAIT -> all &= !mustTake;
          case DONE -> { }
        }
      }
    }
    if (!all) {
      return RestorePlan.Step.inPlace(template, st, events, send, "restore: lifting the hold on failovers", null);
    }
    finish(st, LIFT, at);
    st.phase = end;
    st.completionTime = at;
    if (RestoreStatus.COMPLETED.equals(end)) {
      st.reason = null;
      events.add(new StatusPlan.Event("Normal", "Restored", st.masterPod + " loaded " + st.source
          + " in place and the replicas resynced from it; failovers and writes are back"));
    } else {
      events.add(new StatusPlan.Event("Normal", "HoldLifted", "the abandoned restore's hold on failovers is lifted"));
    }
    return RestorePlan.Step.of(null, st, events, List.of(), null);
  }

  private static RestorePlan.Step pending(RestoreStatus st, String reason, String event, List<StatusPlan.Event> events) {
    if (!reason.equals(st.reason) || !RestoreStatus.PENDING.equals(st.phase)) {
      events.add(new StatusPlan.Event("Warning", event, reason));
    }
    st.phase = RestoreStatus.PENDING;
    st.reason = reason;
    return RestorePlan.Step.of(null, st, events, List.of(), "in-place restore waits: " + reason);
  }

  private static RestoreSource source(RestoreSpec spec, Input in) {
    if (spec.backup == null) {
      return new RestoreSource(spec.destination, spec.key, in.image()).withDeadline(spec.deadline());
    }
    ValkeyBackupStatus bs = in.backup() == null ? null : in.backup().getStatus();
    if (bs == null || !ValkeyBackupStatus.COMPLETED.equals(bs.phase) || bs.objectKey == null) {
      return null;
    }
    return new RestoreSource(in.backup().getSpec().destination, bs.objectKey, in.image())
        .withDeadline(spec.deadline());
  }

  /** Why the cluster is not fit to start an in-place restore, or null. */
  private static String unhealthy(Input in) {
    int wanted = in.cr().getSpec().replicas;
    if (in.elected() == null) {
      return "the daemons do not agree on a master";
    }
    if (in.sts() == null || in.sts().getSpec().getReplicas() == null || in.sts().getSpec().getReplicas() != wanted
        || in.nodes().size() != wanted) {
      return "the cluster is changing size";
    }
    for (Pod p : in.pods()) {
      if (!dev.vigil.operator.model.Labels.VALKEY.equals(p.getMetadata().getLabels() == null ? null
          : p.getMetadata().getLabels().get(dev.vigil.operator.model.Labels.COMPONENT))) {
        continue; // the daemons' own pods (deployment mode) answer the hold's check, or it waits
      }
      if (!StatusPlan.isReady(p) || p.getMetadata().getDeletionTimestamp() != null) {
        return p.getMetadata().getName() + " is not ready";
      }
    }
    return null;
  }

  /** Whether the StatefulSet, as its controller has seen it, restores this id into this pod. */
  static boolean templateLive(StatefulSet sts, String pod, String id) {
    if (sts == null || sts.getStatus() == null || sts.getStatus().getObservedGeneration() == null
        || sts.getMetadata().getGeneration() == null
        || sts.getStatus().getObservedGeneration() < sts.getMetadata().getGeneration()) {
      return false;
    }
    return sts.getSpec().getTemplate().getSpec().getInitContainers().stream()
        .filter(c -> "restore-place".equals(c.getName())).findFirst()
        .map(c -> env(c.getEnv(), "BOOTSTRAP_POD", pod) && env(c.getEnv(), "RESTORE_ID", id)).orElse(false);
  }

  private static boolean env(List<EnvVar> env, String name, String value) {
    return env.stream().anyMatch(e -> name.equals(e.getName()) && value.equals(e.getValue()));
  }

  /** The restore init containers' failure, from the pod's status, or null. */
  static String failedInit(Pod p) {
    if (p.getStatus() == null || p.getStatus().getInitContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus c : p.getStatus().getInitContainerStatuses()) {
      if (!c.getName().startsWith("restore")) {
        continue;
      }
      for (ContainerStateTerminated t : new ContainerStateTerminated[] {
          c.getState() == null ? null : c.getState().getTerminated(),
          c.getLastState() == null ? null : c.getLastState().getTerminated()}) {
        if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
          String why = t.getMessage() != null && !t.getMessage().isBlank() ? lastLine(t.getMessage()) : t.getReason();
          return "init container " + c.getName() + " failed (exit " + t.getExitCode() + "): " + why;
        }
      }
    }
    return null;
  }

  /**
   * The last line of a termination message: with FallbackToLogsOnError it is the log's tail, whose
   * last line is the agent's one-line error; bounded for status fields and Events.
   */
  static String lastLine(String message) {
    String[] lines = message.strip().split("\\R");
    String last = lines[lines.length - 1].strip();
    return last.length() <= 300 ? last : last.substring(0, 297) + "...";
  }

  private static boolean ready(Input in, String pod) {
    return in.pods().stream().anyMatch(p -> p.getMetadata().getName().equals(pod) && StatusPlan.isReady(p)
        && p.getMetadata().getDeletionTimestamp() == null);
  }

  private static NodeView node(Input in, String pod) {
    return in.nodes().stream().filter(n -> n.name().equals(pod)).findFirst().orElse(null);
  }

  static String holdSlot(NodeView n) {
    return "restore-hold:" + n.uid();
  }

  static String writesSlot(NodeView n) {
    return "restore-writes:" + n.uid();
  }

  private static RestoreStepStatus current(RestoreStatus st) {
    return st.steps.get(st.steps.size() - 1);
  }

  private static void enter(RestoreStatus st, String step, String at, List<StatusPlan.Event> events) {
    if (st.steps == null) {
      st.steps = new ArrayList<>();
    }
    st.step = step;
    RestoreStepStatus s = new RestoreStepStatus();
    s.name = step;
    s.phase = RestoreStepStatus.RUNNING;
    s.startTime = at;
    st.steps.add(s);
    events.add(new StatusPlan.Event("Normal", "RestoreStep", step));
  }

  private static void finish(RestoreStatus st, String step, String at) {
    RestoreStepStatus s = current(st);
    if (s.name.equals(step) && RestoreStepStatus.RUNNING.equals(s.phase)) {
      s.phase = RestoreStepStatus.DONE;
      s.completionTime = at;
      s.reason = null;
    }
  }
}
