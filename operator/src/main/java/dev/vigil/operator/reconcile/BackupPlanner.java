package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyBackupStatus;
import dev.vigil.operator.model.BackupJobModel;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan of one reconcile of a {@link ValkeyBackup}, a pure function of a {@link BackupSnapshot}:
 * a backup runs once. The source pod is chosen when its Job is created and recorded in the status
 * with the Job's name (so a later failover changes nothing); the Job's outcome then becomes the
 * phase, the agent's result (keys, size, SHA-256) or its failure reason. With deletionPolicy
 * Delete a finalizer holds the resource until a second Job has deleted the objects.
 */
final class BackupPlanner {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** Nothing announces a cluster or a ready pod to a waiting backup: look again this soon. */
  static final Duration WAITING_RECHECK = Duration.ofSeconds(10);

  private final String image;

  BackupPlanner(String image) {
    this.image = image;
  }

  BackupPlan plan(BackupSnapshot s) {
    ValkeyBackup b = s.backup();
    ValkeyBackupStatus before = b.getStatus() == null ? new ValkeyBackupStatus() : b.getStatus();
    ValkeyBackupStatus st = JSON.clone(before);
    if (st.conditions == null) {
      st.conditions = new ArrayList<>();
    }
    String now = Instant.ofEpochMilli(s.now()).toString();
    boolean finalized = b.getMetadata().getFinalizers() != null
        && b.getMetadata().getFinalizers().contains(ValkeyBackup.FINALIZER);
    if (b.getMetadata().getDeletionTimestamp() != null) {
      return finalizing(s, st, before, finalized);
    }
    Optional<Boolean> finalizer = b.getSpec().deletionPolicy == ValkeyBackupSpec.DeletionPolicy.Delete && !finalized
        ? Optional.of(true) : Optional.empty();
    List<StatusPlan.Event> events = new ArrayList<>();
    if (ValkeyBackupStatus.COMPLETED.equals(before.phase) || ValkeyBackupStatus.FAILED.equals(before.phase)) {
      return new BackupPlan(finalizer, null, Optional.empty(), List.of(), Optional.empty());
    }
    if (st.jobName == null) {
      if (s.cluster() == null) {
        return waiting(finalizer, st, before, "ValkeyCluster " + b.getSpec().cluster + " does not exist");
      }
      BackupSource.Choice source = BackupSource.choose(b.getSpec().target, s.cluster(), s.clusterPods(),
          s.masterPod());
      if (source.pod() == null) {
        return waiting(finalizer, st, before, source.waiting());
      }
      st.phase = ValkeyBackupStatus.PENDING;
      st.jobName = BackupJobModel.jobName(b);
      st.sourcePod = source.pod();
      st.sourceRole = source.role();
      st.bucket = b.getSpec().destination.bucket;
      st.reason = null;
      events.add(new StatusPlan.Event("Normal", "Started", "backing up " + source.pod() + " (" + source.role()
          + ") to s3://" + st.bucket + "/" + Objects.toString(b.getSpec().destination.prefix, "")));
      Pod pod = s.clusterPods().stream().filter(p -> p.getMetadata().getName().equals(source.pod()))
          .findFirst().orElseThrow();
      return new BackupPlan(finalizer, BackupJobModel.backup(b, s.cluster(), pod, image),
          Optional.of(st), events, Optional.empty());
    }
    if (s.job() == null) {
      fail(st, now, "Job " + st.jobName + " was deleted before it finished", now);
      events.add(new StatusPlan.Event("Warning", "Failed", st.reason));
      return new BackupPlan(finalizer, null, changed(before, st), events, Optional.empty());
    }
    JobOutcome o = JobOutcome.of(s.job(), s.jobPods());
    switch (o.state()) {
      case WAITING -> st.phase = ValkeyBackupStatus.PENDING;
      case RUNNING -> {
        if (!ValkeyBackupStatus.RUNNING.equals(before.phase)) {
          events.add(new StatusPlan.Event("Normal", "Running", "the agent is streaming the RDB of " + st.sourcePod));
        }
        st.phase = ValkeyBackupStatus.RUNNING;
        st.startTime = o.startTime();
      }
      case SUCCEEDED -> {
        st.phase = ValkeyBackupStatus.COMPLETED;
        st.startTime = o.startTime();
        st.completionTime = o.endTime() != null ? o.endTime() : now;
        Optional<AgentResult> r = AgentResult.parse(o.message());
        r.ifPresent(res -> {
          st.objectKey = res.objectKey();
          st.manifestKey = res.manifestKey();
          st.size = res.size();
          st.sha256 = res.sha256();
          if (res.role() != null) {
            st.sourceRole = res.role();
          }
        });
        st.duration = duration(st.startTime, st.completionTime, r.map(AgentResult::durationMs).orElse(null));
        st.reason = r.isPresent() ? null
            : "the agent reported no result in its termination message: object key, size and SHA-256 unknown";
        condition(st, ValkeyBackupStatus.COMPLETE, true, "Completed",
            r.map(res -> "s3://" + st.bucket + "/" + res.objectKey()).orElse(st.reason), now);
        events.add(new StatusPlan.Event("Normal", "Completed", "backup of " + st.sourcePod + " ("
            + st.sourceRole + ")" + r.map(res -> " to s3://" + st.bucket + "/" + res.objectKey()
                + (res.size() != null ? ", " + res.size() + " bytes" : "")).orElse("") + " in " + st.duration));
      }
      case FAILED -> {
        String agent = AgentResult.failureLine(o.message());
        String why = agent != null && o.jobReason() != null ? o.jobReason() + "; the agent said: " + agent
            : agent != null ? agent : o.jobReason() != null ? o.jobReason() : "the Job failed";
        st.startTime = o.startTime();
        fail(st, o.endTime() != null ? o.endTime() : now, why, now);
        st.duration = duration(st.startTime, st.completionTime, null);
        events.add(new StatusPlan.Event("Warning", "Failed", why));
      }
      default -> throw new IllegalStateException(o.state().toString());
    }
    return new BackupPlan(finalizer, null, changed(before, st), events, Optional.empty());
  }

  /** Deleting: the objects go first when the policy says so and there are objects. */
  private BackupPlan finalizing(BackupSnapshot s, ValkeyBackupStatus st, ValkeyBackupStatus before, boolean finalized) {
    ValkeyBackup b = s.backup();
    if (!finalized) {
      return BackupPlan.NOTHING;
    }
    if (b.getSpec().deletionPolicy != ValkeyBackupSpec.DeletionPolicy.Delete || st.objectKey == null) {
      return new BackupPlan(Optional.of(false), null, Optional.empty(), List.of(), Optional.empty());
    }
    if (s.deleteJob() == null) {
      return new BackupPlan(Optional.empty(), BackupJobModel.delete(b, st.objectKey, image), Optional.empty(),
          List.of(new StatusPlan.Event("Normal", "DeletingObjects", "deleting s3://" + st.bucket + "/"
              + st.objectKey + " and its manifest")), Optional.empty());
    }
    JobOutcome o = JobOutcome.of(s.deleteJob(), s.deleteJobPods());
    if (o.state() == JobOutcome.State.SUCCEEDED) {
      return new BackupPlan(Optional.of(false), null, Optional.empty(),
          List.of(new StatusPlan.Event("Normal", "ObjectsDeleted", "deleted s3://" + st.bucket + "/" + st.objectKey)),
          Optional.empty());
    }
    if (o.state() == JobOutcome.State.FAILED) {
      // The resource stays (with its finalizer) so that no object is forgotten; removing the
      // finalizer by hand gives up on them.
      String agent = AgentResult.failureLine(o.message());
      st.reason = "deleting the objects failed: " + (agent != null ? agent : Objects.toString(o.jobReason(), "the Job failed"))
          + "; delete Job " + s.deleteJob().getMetadata().getName() + " to retry";
      Optional<ValkeyBackupStatus> next = changed(before, st);
      return new BackupPlan(Optional.empty(), null, next,
          next.isPresent() ? List.of(new StatusPlan.Event("Warning", "DeleteFailed", st.reason)) : List.of(),
          Optional.empty());
    }
    return BackupPlan.NOTHING;
  }

  private static BackupPlan waiting(Optional<Boolean> finalizer, ValkeyBackupStatus st, ValkeyBackupStatus before,
      String why) {
    st.phase = ValkeyBackupStatus.PENDING;
    st.reason = why;
    return new BackupPlan(finalizer, null, changed(before, st), List.of(), Optional.of(WAITING_RECHECK));
  }

  private static void fail(ValkeyBackupStatus st, String end, String why, String now) {
    st.phase = ValkeyBackupStatus.FAILED;
    st.completionTime = end;
    st.reason = why;
    condition(st, ValkeyBackupStatus.FAILED_CONDITION, true, "Failed", why, now);
  }

  private static Optional<ValkeyBackupStatus> changed(ValkeyBackupStatus before, ValkeyBackupStatus after) {
    return JSON.asJson(before).equals(JSON.asJson(after)) ? Optional.empty() : Optional.of(after);
  }

  private static void condition(ValkeyBackupStatus st, String type, boolean on, String reason, String message,
      String now) {
    Condition c = new ConditionBuilder().withType(type).withStatus(on ? "True" : "False").withReason(reason)
        .withMessage(message).withLastTransitionTime(now).build();
    st.conditions.removeIf(x -> type.equals(x.getType()));
    st.conditions.add(c);
  }

  /** "1m5s" from the agent's own measure, else from the Job's times; null when unknown. */
  static String duration(String start, String end, Long agentMs) {
    Duration d;
    if (agentMs != null) {
      d = Duration.ofMillis(agentMs);
    } else if (start != null && end != null) {
      d = Duration.between(Instant.parse(start), Instant.parse(end));
    } else {
      return null;
    }
    long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
    return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60) + "s"
        : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }
}
