package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupScheduleStatus;
import dev.vigil.operator.api.ValkeyBackupStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a schedule does at a given time: a pure function, so the clock is a parameter here. */
class SchedulePlannerTest {
  private final SchedulePlanner planner = new SchedulePlanner();

  private static ValkeyBackupSchedule schedule(String cron, String zone) {
    ValkeyBackupSchedule s = new ValkeyBackupSchedule();
    s.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("ns")
        .withCreationTimestamp("2026-11-30T00:00:00Z").build());
    s.getSpec().schedule = cron;
    s.getSpec().timeZone = zone;
    s.getSpec().backup.cluster = "cache";
    s.getSpec().backup.destination.bucket = "b";
    return s;
  }

  private static ValkeyBackup backup(String name, String cluster, String phase, String created, String completed,
      boolean mine) {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withCreationTimestamp(created)
        .withLabels(mine ? Map.of(ValkeyBackupSchedule.LABEL, "nightly") : Map.of()).build());
    b.getSpec().cluster = cluster;
    if (phase != null) {
      b.setStatus(new ValkeyBackupStatus());
      b.getStatus().phase = phase;
      b.getStatus().completionTime = completed;
    }
    return b;
  }

  private SchedulePlan at(ValkeyBackupSchedule s, String now, ValkeyBackup... backups) {
    return planner.plan(new SchedulePlanner.Snapshot(s, List.of(backups), Instant.parse(now).toEpochMilli()));
  }

  @Test
  void nothingIsDueBeforeTheFirstTimeAndTheNextTimeIsInTheScheduleZone() {
    // 02:30 in Berlin is 01:30 UTC in winter.
    SchedulePlan p = at(schedule("30 2 * * *", "Europe/Berlin"), "2026-11-30T00:10:00Z");
    assertThat(p.create()).isNull();
    assertThat(p.status().orElseThrow().nextScheduleTime).isEqualTo("2026-11-30T01:30:00Z");
    assertThat(p.recheckAfter()).contains(Duration.ofMinutes(80).plusMillis(1));
  }

  @Test
  void aDueTimeCreatesOneBackupNamedAfterItFromTheTemplate() {
    SchedulePlan p = at(schedule("0 * * * *", "UTC"), "2026-11-30T03:00:00Z");
    assertThat(p.create().getMetadata().getName()).isEqualTo("nightly-202611300300");
    assertThat(p.create().getMetadata().getLabels()).containsEntry(ValkeyBackupSchedule.LABEL, "nightly");
    assertThat(p.create().getSpec().cluster).isEqualTo("cache");
    assertThat(p.create().getSpec().destination.bucket).isEqualTo("b");
    ValkeyBackupScheduleStatus st = p.status().orElseThrow();
    assertThat(st.lastScheduleTime).isEqualTo("2026-11-30T03:00:00Z");
    assertThat(st.lastBackup).isEqualTo("nightly-202611300300");
    assertThat(st.nextScheduleTime).isEqualTo("2026-11-30T04:00:00Z");
    assertThat(p.events()).extracting(StatusPlan.Event::reason).containsExactly("BackupCreated");
  }

  @Test
  void missedTimesMakeOneBackupForTheLatestAndAHandledTimeNoMore() {
    ValkeyBackupSchedule s = schedule("@hourly", "UTC");
    s.setStatus(new ValkeyBackupScheduleStatus());
    s.getStatus().lastScheduleTime = "2026-11-30T01:00:00Z";
    SchedulePlan p = at(s, "2026-11-30T05:59:00Z");
    assertThat(p.create().getMetadata().getName()).isEqualTo("nightly-202611300500");
    s.getStatus().lastScheduleTime = "2026-11-30T05:00:00Z";
    assertThat(at(s, "2026-11-30T05:59:59Z").create()).isNull();
  }

  @Test
  void forbidSkipsWhileAnyBackupOfTheClusterIsInFlight() {
    ValkeyBackupSchedule s = schedule("0 * * * *", "UTC");
    ValkeyBackup manual = backup("by-hand", "cache", ValkeyBackupStatus.RUNNING, "2026-11-30T02:50:00Z", null, false);
    ValkeyBackup other = backup("other", "another-cluster", null, "2026-11-30T02:59:00Z", null, false);
    SchedulePlan p = at(s, "2026-11-30T03:00:30Z", manual, other);
    assertThat(p.create()).isNull();
    assertThat(p.status().orElseThrow().lastScheduleTime).isEqualTo("2026-11-30T03:00:00Z");
    assertThat(p.status().orElseThrow().reason).contains("by-hand", "Forbid");
    assertThat(p.events()).extracting(StatusPlan.Event::reason).containsExactly("Skipped");
    // Only the other cluster's backup in flight: this one goes ahead.
    assertThat(at(s, "2026-11-30T03:00:30Z", other).create()).isNotNull();
  }

  @Test
  void suspendedCreatesNothingAndHasNoNextTime() {
    ValkeyBackupSchedule s = schedule("0 * * * *", "UTC");
    s.getSpec().suspend = true;
    SchedulePlan p = at(s, "2026-11-30T03:00:00Z");
    assertThat(p.create()).isNull();
    assertThat(p.recheckAfter()).isEmpty();
    assertThat(p.status()).isEmpty();
  }

  @Test
  void anInvalidCronOrZoneIsReportedOnce() {
    ValkeyBackupSchedule s = schedule("61 * * * *", "UTC");
    SchedulePlan p = at(s, "2026-11-30T03:00:00Z");
    assertThat(p.create()).isNull();
    assertThat(p.status().orElseThrow().reason).startsWith("invalid cron expression '61 * * * *'");
    assertThat(p.events()).extracting(StatusPlan.Event::reason).containsExactly("InvalidSchedule");
    s.setStatus(p.status().get());
    assertThat(at(s, "2026-11-30T03:01:00Z").events()).isEmpty();
    assertThat(at(schedule("0 * * * *", "Mars/Olympus"), "2026-11-30T03:00:00Z").status().orElseThrow().reason)
        .isEqualTo("unknown time zone Mars/Olympus");
  }

  @Test
  void retentionKeepsTheLastNAndPrunesByAgeButNeverTheNewest() {
    ValkeyBackupSchedule s = schedule("0 0 * * *", "UTC");
    s.getSpec().keepLast = 2;
    List<ValkeyBackup> backups = new ArrayList<>();
    for (int day = 1; day <= 4; day++) {
      backups.add(backup("d" + day, "cache", ValkeyBackupStatus.COMPLETED, "2026-11-0" + day + "T00:00:00Z",
          "2026-11-0" + day + "T00:05:00Z", true));
    }
    backups.add(backup("f0", "cache", ValkeyBackupStatus.FAILED, "2026-10-31T00:00:00Z", null, true));
    backups.add(backup("f5", "cache", ValkeyBackupStatus.FAILED, "2026-11-05T00:00:00Z", null, true));
    backups.add(backup("someone-elses", "cache", ValkeyBackupStatus.COMPLETED, "2026-10-01T00:00:00Z",
        "2026-10-01T00:05:00Z", false));
    SchedulePlan p = at(s, "2026-11-05T12:00:00Z", backups.toArray(ValkeyBackup[]::new));
    assertThat(p.prune()).extracting(b -> b.getMetadata().getName()).containsExactlyInAnyOrder("d1", "d2", "f0");
    assertThat(p.status().orElseThrow().lastSuccessfulTime).isEqualTo("2026-11-04T00:05:00Z");

    s.getSpec().keepLast = null;
    s.getSpec().maxAge = "3d";
    assertThat(at(s, "2026-11-05T12:00:00Z", backups.toArray(ValkeyBackup[]::new)).prune())
        .extracting(b -> b.getMetadata().getName()).containsExactlyInAnyOrder("d1", "d2", "f0");
    s.getSpec().maxAge = "1m";
    assertThat(at(s, "2026-12-30T00:00:00Z", backups.toArray(ValkeyBackup[]::new)).prune())
        .extracting(b -> b.getMetadata().getName()).as("the newest completed stays")
        .containsExactlyInAnyOrder("d1", "d2", "d3", "f0");
  }
}
