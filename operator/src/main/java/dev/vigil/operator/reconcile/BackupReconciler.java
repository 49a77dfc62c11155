package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.BackupJobModel;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles one {@link ValkeyBackup} as snapshot → pure plan ({@link BackupPlanner}) → steps:
 * finalizer, Job, status, Events. Jobs are read from the API, not a cache: a Job created a moment
 * ago must not look deleted (only backups in flight are read, and there are few).
 */
public final class BackupReconciler {
  private final KubernetesClient client;
  private final ObjectCache cache;
  private final Masters masters;
  private final Endpoints endpoints;
  private final BackupPlanner planner;
  private final EventRecorder events;
  private final Clock clock;

  public BackupReconciler(KubernetesClient client, ObjectCache cache, Masters masters, Endpoints endpoints,
      String agentImage, Clock clock) {
    this.client = client;
    this.cache = cache;
    this.masters = masters;
    this.endpoints = endpoints;
    this.planner = new BackupPlanner(agentImage);
    this.events = new EventRecorder(client, clock);
    this.clock = clock;
  }

  public Optional<Duration> reconcile(ValkeyBackup b) {
    BackupPlan plan = planner.plan(read(b));
    String ns = b.getMetadata().getNamespace();
    var op = client.resources(ValkeyBackup.class).inNamespace(ns);
    ValkeyBackup current = b;
    if (plan.finalizer().isPresent()) {
      boolean add = plan.finalizer().get();
      current = op.withName(b.getMetadata().getName()).edit(x -> {
        List<String> f = new ArrayList<>(x.getMetadata().getFinalizers() == null ? List.of()
            : x.getMetadata().getFinalizers());
        f.remove(ValkeyBackup.FINALIZER);
        if (add) {
          f.add(ValkeyBackup.FINALIZER);
        }
        x.getMetadata().setFinalizers(f);
        return x;
      });
    }
    if (plan.create() != null) {
      StatusWrites.createOnce(client, plan.create()); // the Job is named after the backup
    }
    if (plan.status().isPresent() && current != null) {
      current = writeStatus(current, plan.status().get());
    }
    for (StatusPlan.Event e : plan.events()) {
      events.record(current != null ? current : b, e);
    }
    return plan.recheckAfter();
  }

  private ValkeyBackup writeStatus(ValkeyBackup b, ValkeyBackupStatus status) {
    return StatusWrites.write(client, ValkeyBackup.class, b, null, status, ValkeyBackup::new);
  }

  BackupSnapshot read(ValkeyBackup b) {
    String ns = b.getMetadata().getNamespace();
    ValkeyBackupSpec spec = b.getSpec();
    ValkeyBackupStatus st = b.getStatus();
    boolean terminal = st != null && (ValkeyBackupStatus.COMPLETED.equals(st.phase)
        || ValkeyBackupStatus.FAILED.equals(st.phase));
    boolean deleting = b.getMetadata().getDeletionTimestamp() != null;
    ValkeyCluster cluster = null;
    List<Pod> pods = List.of();
    String master = null;
    Job job = null;
    List<Pod> jobPods = List.of();
    if (!terminal && !deleting) {
      if (st == null || st.jobName == null) {
        cluster = spec.cluster == null ? null : cache.cluster(ns, spec.cluster);
        if (cluster != null) {
          pods = cache.pods(ns, spec.cluster);
          ValkeyCluster c = cluster;
          List<Pod> p = pods;
          master = masters.master(ns + "/" + spec.cluster).flatMap(m -> endpoints.podFor(c, m, p))
              .orElse(c.getStatus() == null ? null : c.getStatus().master);
        }
      } else {
        job = cache.uncached(Job.class, ns, st.jobName);
        if (job != null && finished(job)) {
          jobPods = podsOf(b, "backup");
        }
      }
    }
    Job deleteJob = null;
    List<Pod> deletePods = List.of();
    if (deleting && st != null && st.objectKey != null && spec.deletionPolicy == ValkeyBackupSpec.DeletionPolicy.Delete) {
      deleteJob = cache.uncached(Job.class, ns, BackupJobModel.deleteJobName(b));
      if (deleteJob != null && finished(deleteJob)) {
        deletePods = podsOf(b, "delete");
      }
    }
    return new BackupSnapshot(b, cluster, pods, master, job, jobPods, deleteJob, deletePods, clock.millis());
  }

  private static boolean finished(Job j) {
    return j.getStatus() != null && ((j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() > 0)
        || (j.getStatus().getFailed() != null && j.getStatus().getFailed() > 0)
        || (j.getStatus().getConditions() != null && !j.getStatus().getConditions().isEmpty()));
  }

  private List<Pod> podsOf(ValkeyBackup b, String component) {
    return client.pods().inNamespace(b.getMetadata().getNamespace())
        .withLabel(BackupJobModel.BACKUP_LABEL, b.getMetadata().getName())
        .withLabel(Labels.COMPONENT, component).list().getItems();
  }
}
