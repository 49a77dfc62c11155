package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.RestoreSpec;
import dev.vigil.operator.api.RestoreStatus;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.RestoreSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The restore of a new cluster ({@code spec.restore}), a pure function of the cluster, the backup
 * it names, whether its pods exist, the master the daemons agree on and earlier commands' outcomes:
 * <ul>
 *   <li>Pending: the source is not usable yet (no such backup, not Completed): no pod is created,
 *       so none starts empty.
 *   <li>Restoring: the pods carry the restore's init containers and {@code replica-priority 0}
 *       (see {@code RestoreInitContainers}); the daemons cannot promote an empty replica.
 *   <li>Completed once the elected master's pod is Ready (its readiness needs it to answer as
 *       master, which a node still LOADING does not) and, if the configuration has
 *       {@code appendonly yes}, a {@code CONFIG SET appendonly yes} on it succeeded. The model
 *       then drops the restore parts, which rolls the pods once.
 *   <li>Ignored (with a Warning Event): spec.restore on a cluster whose pods exist already,
 *       without {@code inPlace} ({@link InPlaceRestorePlan} restores a running cluster).
 * </ul>
 */
final class RestorePlan {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String AOF_SLOT = "restore-aof";

  /**
   * @param holdPods create no StatefulSet yet
   * @param source the restore for the pod template, or null
   * @param status the next restore status (null: none)
   * @param progress what is in progress, for the Progressing condition, or null
   * @param replace the pod an in-place restore deletes now, or null
   * @param inPlace an in-place restore is under way: rolls and changes of size wait
   */
  record Step(boolean holdPods, RestoreSource source, RestoreStatus status, List<StatusPlan.Event> events,
      List<Command> commands, String progress, ClusterPlan.PodToReplace replace, boolean inPlace) {
    static final Step NONE = new Step(false, null, null, List.of(), List.of(), null, null, false);

    Step(boolean holdPods, RestoreSource source, RestoreStatus status, List<StatusPlan.Event> events,
        List<Command> commands, String progress) {
      this(holdPods, source, status, events, commands, progress, null, false);
    }

    static Step of(RestoreSource source, RestoreStatus status, List<StatusPlan.Event> events, List<Command> commands,
        String progress) {
      return new Step(false, source, status, List.copyOf(events), commands, progress, null, false);
    }

    static Step inPlace(RestoreSource source, RestoreStatus status, List<StatusPlan.Event> events,
        List<Command> commands, String progress, ClusterPlan.PodToReplace replace) {
      return new Step(false, source, status, List.copyOf(events), commands, progress, replace, true);
    }
  }

  private RestorePlan() {}

  static Step next(ValkeyCluster cr, ValkeyBackup backup, boolean podsExist, String elected, List<Pod> pods,
      List<NodeView> nodes, Map<String, CommandLedger.Outcome> commands, String image, long now) {
    RestoreSpec spec = cr.getSpec().restore;
    RestoreStatus before = cr.getStatus() == null ? null : cr.getStatus().restore;
    if (spec == null) {
      return new Step(false, null, before, List.of(), List.of(), null);
    }
    if (before != null && (RestoreStatus.COMPLETED.equals(before.phase) || RestoreStatus.IGNORED.equals(before.phase))) {
      return new Step(false, null, before, List.of(), List.of(), null);
    }
    RestoreStatus st = before == null ? new RestoreStatus() : JSON.clone(before);
    String at = Instant.ofEpochMilli(now).toString();
    List<StatusPlan.Event> events = new ArrayList<>();
    if (before == null && podsExist) {
      st.phase = RestoreStatus.IGNORED;
      st.reason = "spec.restore applies to a new cluster only: this one had pods already (to restore it in "
          + "place, add spec.restore.inPlace)";
      events.add(new StatusPlan.Event("Warning", "RestoreIgnored", st.reason));
      return new Step(false, null, st, events, List.of(), null);
    }
    st.backup = spec.backup;
    // Created with inPlace: this restore is that id's, which an in-place restore must not repeat.
    st.id = spec.inPlace == null ? null : spec.inPlace.id;
    RestoreSource source;
    if (spec.backup != null) {
      ValkeyBackupStatus bs = backup == null ? null : backup.getStatus();
      if (backup == null || bs == null || !ValkeyBackupStatus.COMPLETED.equals(bs.phase) || bs.objectKey == null) {
        st.phase = RestoreStatus.PENDING;
        st.reason = backup == null ? "ValkeyBackup " + spec.backup + " does not exist"
            : "ValkeyBackup " + spec.backup + " is " + (bs == null || bs.phase == null ? "not done" : bs.phase)
                + (bs != null && ValkeyBackupStatus.COMPLETED.equals(bs.phase) ? " but names no object" : "");
        return new Step(!podsExist, null, st, events, List.of(), "restore waits: " + st.reason);
      }
      source = new RestoreSource(backup.getSpec().destination, bs.objectKey, image);
    } else {
      source = new RestoreSource(spec.destination, spec.key, image);
    }
    source = source.withDeadline(spec.deadline());
    if (!RestoreStatus.RESTORING.equals(st.phase)) {
      st.phase = RestoreStatus.RESTORING;
      st.startTime = at;
      events.add(new StatusPlan.Event("Normal", "RestoreStarted", "restoring " + source.url()
          + " into the master's pod before it starts"));
    }
    st.source = source.url();
    boolean loaded = elected != null && pods.stream()
        .anyMatch(p -> p.getMetadata().getName().equals(elected) && StatusPlan.isReady(p));
    if (!loaded) {
      // A restore init container that fails (credentials, a checksum, an unreachable store) is
      // retried by the kubelet with back-off until the cause is fixed; the status and one
      // Warning per new reason say why the cluster does not come up meanwhile.
      String failed = pods.stream().map(p -> {
        String why = InPlaceRestorePlan.failedInit(p);
        return why == null ? null : p.getMetadata().getName() + ": " + why;
      }).filter(Objects::nonNull).findFirst().orElse(null);
      if (failed != null && !failed.equals(before == null ? null : before.reason)) {
        events.add(new StatusPlan.Event("Warning", "RestoreStuck", failed
            + " (the kubelet retries it; fix the source or its credentials)"));
      }
      st.reason = failed;
      return new Step(false, source, st, events, List.of(), "restoring " + source.url()
          + (failed == null ? "" : ": " + failed));
    }
    st.reason = null;
    List<Command> send = new ArrayList<>();
    if ("yes".equalsIgnoreCase(cr.getSpec().config.get("appendonly"))) {
      NodeView master = nodes.stream().filter(n -> n.name().equals(elected) && n.reachable()).findFirst().orElse(null);
      Progress p = Progress.of(commands.get(AOF_SLOT), "yes", now);
      if (p != Progress.DONE) {
        if (p == Progress.SEND && master != null) {
          send.add(new Command.ConfigSet(AOF_SLOT, "yes", master.address(), Map.of("appendonly", "yes")));
        }
        return new Step(false, source, st, events, send, "restored; turning AOF on on " + elected);
      }
    }
    st.phase = RestoreStatus.COMPLETED;
    st.completionTime = at;
    events.add(new StatusPlan.Event("Normal", "Restored", elected + " loaded " + source.url()
        + "; the pods are replaced once to drop the restore's init containers"));
    return new Step(false, null, st, events, List.of(), null);
  }

  /** The cluster's next status with the restore's in it (and its Events), or {@code observed}. */
  static java.util.Optional<StatusPlan.Change> withRestore(ValkeyCluster cr,
      java.util.Optional<StatusPlan.Change> observed, Step step) {
    if (!changed(cr, step.status()) && step.events().isEmpty()) {
      return observed;
    }
    dev.vigil.operator.api.ValkeyClusterStatus s = observed.map(StatusPlan.Change::status)
        .orElseGet(() -> cr.getStatus() == null ? new dev.vigil.operator.api.ValkeyClusterStatus()
            : JSON.clone(cr.getStatus()));
    s.restore = step.status();
    List<StatusPlan.Event> events = new ArrayList<>(observed.map(StatusPlan.Change::events).orElse(List.of()));
    events.addAll(step.events());
    return java.util.Optional.of(new StatusPlan.Change(s, List.copyOf(events)));
  }

  /** Whether the restore status differs from the cluster's. */
  static boolean changed(ValkeyCluster cr, RestoreStatus next) {
    RestoreStatus before = cr.getStatus() == null ? null : cr.getStatus().restore;
    return !Objects.equals(JSON.asJson(before), JSON.asJson(next));
  }
}
