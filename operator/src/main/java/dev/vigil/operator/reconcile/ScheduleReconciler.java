package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupScheduleStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
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
      StatusWrites.createOnce(client, plan.create()); // named after its due time
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
    return StatusWrites.write(client, ValkeyBackupSchedule.class, sch, null, status,
        ValkeyBackupSchedule::new);
  }
}
