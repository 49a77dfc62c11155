package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupScheduleStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reconciles one {@link ValkeyBackupSchedule}: snapshot (the schedule, the backups in its
 * namespace, the time) → {@link SchedulePlanner} → steps: prune, create the due backup, status,
 * Events. The returned delay wakes it when the next backup is due.
 */
public final class ScheduleReconciler {
  private final KubernetesClient client;
  private final Function<String, List<ValkeyBackup>> backupsIn;
  private final SchedulePlanner planner = new SchedulePlanner();
  private final EventRecorder events;
  private final Clock clock;

  /** @param backupsIn the ValkeyBackups of a namespace (the operator's informer holds them) */
  public ScheduleReconciler(KubernetesClient client, Function<String, List<ValkeyBackup>> backupsIn, Clock clock) {
    this.client = client;
    this.backupsIn = backupsIn;
    this.events = new EventRecorder(client, clock);
    this.clock = clock;
  }

  public Optional<Duration> reconcile(ValkeyBackupSchedule sch) {
    if (sch.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    String ns = sch.getMetadata().getNamespace();
    SchedulePlan plan = planner.plan(new SchedulePlanner.Snapshot(sch, backupsIn.apply(ns), clock.millis()));
    for (ValkeyBackup b : plan.prune()) {
      client.resources(ValkeyBackup.class).inNamespace(ns).withName(b.getMetadata().getName()).delete();
      events.record(sch, new StatusPlan.Event("Normal", "Pruned", "deleted backup " + b.getMetadata().getName()
          + " (retention)"));
    }
    if (plan.create() != null) {
      try {
        client.resources(ValkeyBackup.class).inNamespace(ns).resource(plan.create()).create();
      } catch (KubernetesClientException e) {
        // Named after its due time: a 409 is this very backup, made by an earlier reconcile.
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    ValkeyBackupSchedule current = sch;
    if (plan.status().isPresent()) {
      current = writeStatus(sch, plan.status().get());
    }
    for (StatusPlan.Event e : plan.events()) {
      events.record(current != null ? current : sch, e);
    }
    return plan.recheckAfter();
  }

  private ValkeyBackupSchedule writeStatus(ValkeyBackupSchedule sch, ValkeyBackupScheduleStatus status) {
    var op = client.resources(ValkeyBackupSchedule.class).inNamespace(sch.getMetadata().getNamespace());
    ValkeyBackupSchedule copy = new ValkeyBackupSchedule();
    copy.setMetadata(new ObjectMetaBuilder(sch.getMetadata()).build());
    copy.setSpec(sch.getSpec());
    copy.setStatus(status);
    try {
      return op.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      ValkeyBackupSchedule latest = op.withName(sch.getMetadata().getName()).get();
      if (latest == null) {
        return null;
      }
      copy.getMetadata().setResourceVersion(latest.getMetadata().getResourceVersion());
      return op.resource(copy).updateStatus();
    }
  }
}
