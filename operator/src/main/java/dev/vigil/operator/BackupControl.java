package dev.vigil.operator;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.model.BackupJobModel;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.BackupReconciler;
import dev.vigil.operator.reconcile.ScheduleReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operator's backup side: informers on ValkeyBackups, the Jobs they own and
 * ValkeyBackupSchedules feed the shared work queue with keys of their own ({@code backup:ns/name},
 * {@code schedule:ns/name}), which {@link #work} reconciles. A change to a backup made by a
 * schedule queues the schedule too (Forbid and retention depend on it).
 */
final class BackupControl {
  static final String PREFIX = "backup:";
  static final String SCHEDULE = "schedule:";
  /** Before the caches are filled, a key waits this long. */
  private static final Duration NOT_SYNCED_YET = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final InformerCache cache;
  private final BackupReconciler reconciler;
  private final ScheduleReconciler schedules;
  private volatile SharedIndexInformer<ValkeyBackup> backups;
  private volatile SharedIndexInformer<ValkeyBackupSchedule> scheduleInformer;

  BackupControl(KubernetesClient client, OperatorConfig config, InformerCache cache, BackupReconciler reconciler,
      Clock clock) {
    this.client = client;
    this.config = config;
    this.cache = cache;
    this.reconciler = reconciler;
    this.schedules = new ScheduleReconciler(client, this::backupsIn, clock);
  }

  static boolean owns(String key) {
    return key.startsWith(PREFIX) || key.startsWith(SCHEDULE);
  }

  private List<ValkeyBackup> backupsIn(String namespace) {
    return backups.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  /** Starts the informers; every event on a backup or its Jobs queues the backup. */
  void start(Consumer<String> queue, List<SharedIndexInformer<?>> informers) {
    var jobs = namespaced(client.resources(Job.class), BackupJobModel.NAME).runnableInformer(0);
    jobs.addEventHandler(handler(j -> {
      String backup = j.getMetadata().getLabels() == null ? null
          : j.getMetadata().getLabels().get(BackupJobModel.BACKUP_LABEL);
      if (backup != null) {
        queue.accept(PREFIX + j.getMetadata().getNamespace() + "/" + backup);
      }
    }));
    cache.add(Job.class, jobs);
    informers.add(jobs);
    jobs.run();
    var op = client.resources(ValkeyBackup.class);
    SharedIndexInformer<ValkeyBackup> b = (config.namespaces().size() == 1
        ? op.inNamespace(config.namespaces().get(0)) : op.inAnyNamespace())
        .runnableInformer(config.resync().toMillis());
    b.addEventHandler(handler(x -> {
      queue.accept(PREFIX + x.getMetadata().getNamespace() + "/" + x.getMetadata().getName());
      String schedule = x.getMetadata().getLabels() == null ? null
          : x.getMetadata().getLabels().get(ValkeyBackupSchedule.LABEL);
      if (schedule != null) {
        queue.accept(SCHEDULE + x.getMetadata().getNamespace() + "/" + schedule);
      }
    }));
    cache.add(ValkeyBackup.class, b);
    informers.add(b);
    backups = b;
    b.run();
    var sop = client.resources(ValkeyBackupSchedule.class);
    SharedIndexInformer<ValkeyBackupSchedule> s = (config.namespaces().size() == 1
        ? sop.inNamespace(config.namespaces().get(0)) : sop.inAnyNamespace())
        .runnableInformer(config.resync().toMillis());
    s.addEventHandler(handler(x -> queue.accept(SCHEDULE + x.getMetadata().getNamespace() + "/"
        + x.getMetadata().getName())));
    cache.add(ValkeyBackupSchedule.class, s);
    informers.add(s);
    scheduleInformer = s;
    s.run();
  }

  private Informable<Job> namespaced(io.fabric8.kubernetes.client.dsl.MixedOperation<Job, ?, ?> op, String name) {
    return config.namespaces().size() == 1
        ? op.inNamespace(config.namespaces().get(0)).withLabel(Labels.NAME, name)
        : op.inAnyNamespace().withLabel(Labels.NAME, name);
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> touch) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        touch.accept(o);
      }

      @Override
      public void onUpdate(T before, T after) {
        touch.accept(after);
      }

      @Override
      public void onDelete(T o, boolean unknownFinalState) {
        touch.accept(o);
      }
    };
  }

  Optional<Duration> work(String key) {
    SharedIndexInformer<ValkeyBackup> b = backups;
    SharedIndexInformer<ValkeyBackupSchedule> s = scheduleInformer;
    if (b == null || !b.hasSynced() || s == null || !s.hasSynced()) {
      return Optional.of(NOT_SYNCED_YET);
    }
    boolean schedule = key.startsWith(SCHEDULE);
    String[] nsName = key.substring(schedule ? SCHEDULE.length() : PREFIX.length()).split("/", 2);
    if (schedule) {
      ValkeyBackupSchedule sch = cache.get(ValkeyBackupSchedule.class, nsName[0], nsName[1]);
      return sch == null ? Optional.empty() : schedules.reconcile(sch);
    }
    ValkeyBackup backup = cache.get(ValkeyBackup.class, nsName[0], nsName[1]);
    return backup == null ? Optional.empty() : reconciler.reconcile(backup);
  }
}
