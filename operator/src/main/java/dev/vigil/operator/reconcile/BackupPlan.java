package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackupStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of a backup does, decided before anything is done, in this order.
 *
 * @param finalizer add (true) or remove (false) the object-deleting finalizer, or leave it
 * @param create a Job to create (the backup, or the deletion of its objects), or null
 * @param status the next status, or empty when unchanged
 * @param events Events to record on the backup
 * @param recheckAfter when to look again although no event may come
 */
record BackupPlan(Optional<Boolean> finalizer, Job create, Optional<ValkeyBackupStatus> status,
    List<StatusPlan.Event> events, Optional<Duration> recheckAfter) {
  BackupPlan {
    events = List.copyOf(events);
  }

  static final BackupPlan NOTHING = new BackupPlan(Optional.empty(), null, Optional.empty(), List.of(),
      Optional.empty());
}
