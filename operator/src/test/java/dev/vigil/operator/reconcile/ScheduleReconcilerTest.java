package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** ValkeyBackupSchedule against fabric8's mock API server (CRUD mode), with a clock the test moves. */
@EnableKubernetesMockClient(crud = true)
class ScheduleReconcilerTest {
  static KubernetesClient client;
  private static final String NS = "sched";
  private final AtomicReference<Instant> now = new AtomicReference<>();
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final ScheduleReconciler schedules = new ScheduleReconciler(client,
      ns -> client.resources(ValkeyBackup.class).inNamespace(ns).list().getItems(), clock);

  private ValkeyBackupSchedule get() {
    return client.resources(ValkeyBackupSchedule.class).inNamespace(NS).withName("hourly").get();
  }

  private ValkeyBackup backup(String name) {
    return client.resources(ValkeyBackup.class).inNamespace(NS).withName(name).get();
  }

  /** What the backup's own reconcile would record once its Job completed. */
  private void complete(String name, String at) {
    ValkeyBackup b = backup(name);
    b.setStatus(new ValkeyBackupStatus());
    b.getStatus().phase = ValkeyBackupStatus.COMPLETED;
    b.getStatus().completionTime = at;
    client.resources(ValkeyBackup.class).inNamespace(NS).resource(b).updateStatus();
  }

  @Test
  void createsDueBackupsOneAtATimeAndPrunesToKeepLast() {
    ValkeyBackupSchedule s = new ValkeyBackupSchedule();
    s.setMetadata(new ObjectMetaBuilder().withName("hourly").withNamespace(NS).build());
    s.getSpec().schedule = "0 * * * *";
    s.getSpec().keepLast = 1;
    s.getSpec().backup.cluster = "cache";
    s.getSpec().backup.destination.bucket = "b";
    s = client.resources(ValkeyBackupSchedule.class).inNamespace(NS).resource(s).create();
    Instant created = Instant.parse(s.getMetadata().getCreationTimestamp());
    Instant first = created.plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    String firstName = "hourly-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")
        .withZone(ZoneOffset.UTC).format(first);

    now.set(first.minusSeconds(60));
    assertThat(schedules.reconcile(get())).contains(java.time.Duration.ofSeconds(60).plusMillis(1));
    assertThat(client.resources(ValkeyBackup.class).inNamespace(NS).list().getItems()).isEmpty();
    assertThat(get().getStatus().nextScheduleTime).isEqualTo(first.toString());

    now.set(first.plusSeconds(5));
    schedules.reconcile(get());
    assertThat(backup(firstName)).isNotNull();
    assertThat(get().getStatus().lastBackup).isEqualTo(firstName);

    // An hour later the first is still in flight: Forbid skips.
    now.set(first.plusSeconds(3605));
    schedules.reconcile(get());
    assertThat(client.resources(ValkeyBackup.class).inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(get().getStatus().reason).contains("Forbid");

    complete(firstName, first.plusSeconds(600).toString());
    now.set(first.plusSeconds(7205));
    schedules.reconcile(get());
    String second = "hourly-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")
        .withZone(ZoneOffset.UTC).format(first.plusSeconds(7200));
    assertThat(backup(second)).isNotNull();
    assertThat(get().getStatus().lastSuccessfulTime).isEqualTo(first.plusSeconds(600).toString());

    complete(second, first.plusSeconds(7800).toString());
    schedules.reconcile(get());
    assertThat(backup(firstName)).as("pruned: keepLast 1").isNull();
    assertThat(backup(second)).isNotNull();
    assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
        .contains("BackupCreated", "Skipped", "Pruned");
  }
}
