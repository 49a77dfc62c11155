package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupScheduleSpec;
import dev.vigil.operator.api.ValkeyBackupScheduleStatus;
import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyBackupStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan of one reconcile of a {@link ValkeyBackupSchedule}, a pure function of the schedule,
 * the backups in its namespace and the time. What is due: the last time the cron fired, if that
 * is after the last time handled (or the schedule's creation): several missed times make one
 * backup, as a CronJob does. Forbid: while any backup of the cluster has not completed or failed,
 * a due backup is skipped (and the time counts as handled). Retention: of this schedule's
 * completed backups, those beyond {@code keepLast} and those older than {@code maxAge} go, but
 * never the newest; failed ones older than the newest completed one go too.
 */
final class SchedulePlanner {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  /** Everything a schedule's reconcile decides from. */
  record Snapshot(ValkeyBackupSchedule schedule, List<ValkeyBackup> backups, long now) {
    Snapshot {
      backups = List.copyOf(backups);
    }
  }

  SchedulePlan plan(Snapshot s) {
    ValkeyBackupSchedule sch = s.schedule();
    ValkeyBackupScheduleSpec spec = sch.getSpec();
    ValkeyBackupScheduleStatus before = sch.getStatus() == null ? new ValkeyBackupScheduleStatus() : sch.getStatus();
    ValkeyBackupScheduleStatus st = JSON.clone(before);
    Instant now = Instant.ofEpochMilli(s.now());
    List<StatusPlan.Event> events = new ArrayList<>();

    List<ValkeyBackup> mine = s.backups().stream()
        .filter(b -> b.getMetadata().getLabels() != null
            && sch.getMetadata().getName().equals(b.getMetadata().getLabels().get(ValkeyBackupSchedule.LABEL)))
        .toList();
    List<ValkeyBackup> prune = prune(spec, mine, now);
    mine.stream().filter(b -> isPhase(b, ValkeyBackupStatus.COMPLETED)).map(SchedulePlanner::completedAt)
        .filter(Objects::nonNull).max(Comparator.naturalOrder())
        .filter(t -> st.lastSuccessfulTime == null || t.compareTo(st.lastSuccessfulTime) > 0)
        .ifPresent(t -> st.lastSuccessfulTime = t);

    CronSchedule cron;
    try {
      cron = CronSchedule.parse(spec.schedule, spec.timeZone);
    } catch (IllegalArgumentException e) {
      if (!Objects.equals(before.reason, e.getMessage())) {
        events.add(new StatusPlan.Event("Warning", "InvalidSchedule", e.getMessage()));
      }
      st.reason = e.getMessage();
      st.nextScheduleTime = null;
      return new SchedulePlan(prune, null, changed(before, st), events, Optional.empty());
    }
    if (Boolean.TRUE.equals(spec.suspend)) {
      st.nextScheduleTime = null;
      return new SchedulePlan(prune, null, changed(before, st), events, Optional.empty());
    }
    if (CronSchedule.isProblem(st.reason)) {
      st.reason = null;
    }
    ValkeyBackup create = null;
    Instant since = st.lastScheduleTime != null ? Instant.parse(st.lastScheduleTime)
        : sch.getMetadata().getCreationTimestamp() != null ? Instant.parse(sch.getMetadata().getCreationTimestamp())
        : now;
    Optional<Instant> due = cron.lastAtOrBefore(now).filter(t -> t.isAfter(since));
    if (due.isPresent()) {
      st.lastScheduleTime = due.get().toString();
      Optional<ValkeyBackup> inFlight = s.backups().stream()
          .filter(b -> Objects.equals(spec.backup.cluster, b.getSpec().cluster))
          .filter(b -> !isPhase(b, ValkeyBackupStatus.COMPLETED) && !isPhase(b, ValkeyBackupStatus.FAILED))
          .filter(b -> b.getMetadata().getDeletionTimestamp() == null)
          .findFirst();
      if (inFlight.isPresent()) {
        st.reason = "skipped the backup due at " + due.get() + ": backup " + inFlight.get().getMetadata().getName()
            + " of " + spec.backup.cluster + " is still in flight (concurrencyPolicy Forbid)";
        events.add(new StatusPlan.Event("Warning", "Skipped", st.reason));
      } else {
        create = backup(sch, due.get());
        st.lastBackup = create.getMetadata().getName();
        st.reason = null;
        events.add(new StatusPlan.Event("Normal", "BackupCreated", "created backup " + st.lastBackup
            + " (due at " + due.get() + ")"));
      }
    }
    Optional<Instant> next = cron.next(now);
    st.nextScheduleTime = next.map(Instant::toString).orElse(null);
    return new SchedulePlan(prune, create, changed(before, st), events,
        next.map(t -> Duration.between(now, t).plusMillis(1)));
  }

  /** The backup due at {@code at}: named after the schedule and the time, so it is made once. */
  static ValkeyBackup backup(ValkeyBackupSchedule sch, Instant at) {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(sch.getMetadata().getName() + "-" + NAME_TIME.format(at))
        .withNamespace(sch.getMetadata().getNamespace())
        .withLabels(Map.of(ValkeyBackupSchedule.LABEL, sch.getMetadata().getName())).build());
    b.setSpec(JSON.convertValue(sch.getSpec().backup, ValkeyBackupSpec.class));
    return b;
  }

  private static List<ValkeyBackup> prune(ValkeyBackupScheduleSpec spec, List<ValkeyBackup> mine, Instant now) {
    List<ValkeyBackup> completed = mine.stream()
        .filter(b -> b.getMetadata().getDeletionTimestamp() == null && isPhase(b, ValkeyBackupStatus.COMPLETED))
        .sorted(Comparator.comparing(SchedulePlanner::completedAt, Comparator.nullsLast(Comparator.reverseOrder())))
        .toList();
    List<ValkeyBackup> out = new ArrayList<>();
    Instant oldest = spec.maxAge == null ? null : now.minus(age(spec.maxAge));
    for (int i = 1; i < completed.size(); i++) {
      ValkeyBackup b = completed.get(i);
      String at = completedAt(b);
      boolean beyondCount = spec.keepLast != null && i >= spec.keepLast;
      boolean tooOld = oldest != null && at != null && Instant.parse(at).isBefore(oldest);
      if (beyondCount || tooOld) {
        out.add(b);
      }
    }
    if (!completed.isEmpty()) {
      String newest = completed.get(0).getMetadata().getCreationTimestamp();
      mine.stream().filter(b -> b.getMetadata().getDeletionTimestamp() == null && isPhase(b, ValkeyBackupStatus.FAILED))
          .filter(b -> newest != null && b.getMetadata().getCreationTimestamp() != null
              && b.getMetadata().getCreationTimestamp().compareTo(newest) < 0)
          .forEach(out::add);
    }
    return out;
  }

  static Duration age(String maxAge) {
    long n = Long.parseLong(maxAge.substring(0, maxAge.length() - 1));
    return switch (maxAge.charAt(maxAge.length() - 1)) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("maxAge " + maxAge);
    };
  }

  private static boolean isPhase(ValkeyBackup b, String phase) {
    return b.getStatus() != null && phase.equals(b.getStatus().phase);
  }

  private static String completedAt(ValkeyBackup b) {
    return b.getStatus() == null ? null
        : b.getStatus().completionTime != null ? b.getStatus().completionTime : b.getMetadata().getCreationTimestamp();
  }

  private static Optional<ValkeyBackupScheduleStatus> changed(ValkeyBackupScheduleStatus before,
      ValkeyBackupScheduleStatus after) {
    return JSON.asJson(before).equals(JSON.asJson(after)) ? Optional.empty() : Optional.of(after);
  }
}
