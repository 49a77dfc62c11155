package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupScheduleStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of a schedule does, in this order.
 *
 * @param prune backups retention deletes (their deletionPolicy then applies to the objects)
 * @param create the backup now due, or null
 * @param status the next status, or empty when unchanged
 * @param events Events to record on the schedule
 * @param recheckAfter when the next backup is due, if one will be
 */
record SchedulePlan(List<ValkeyBackup> prune, ValkeyBackup create, Optional<ValkeyBackupScheduleStatus> status,
    List<StatusPlan.Event> events, Optional<Duration> recheckAfter) {
  SchedulePlan {
    prune = List.copyOf(prune);
    events = List.copyOf(events);
  }
}
