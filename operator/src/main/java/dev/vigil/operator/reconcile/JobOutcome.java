package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What became of a Job, read from its status (as the Job controller writes it) and its pods'
 * termination messages: the agent's result on success, its last words on failure.
 *
 * @param state where the Job is
 * @param startTime the Job's start, or null
 * @param endTime its completion or failure time, or null
 * @param message the termination message of the pod that decided the outcome, or null
 * @param jobReason the Job's Failed condition as "Reason: message", or null
 */
record JobOutcome(State state, String startTime, String endTime, String message, String jobReason) {
  enum State { WAITING, RUNNING, SUCCEEDED, FAILED }

  static JobOutcome of(Job job, List<Pod> pods) {
    var st = job.getStatus();
    if (st == null) {
      return new JobOutcome(State.WAITING, null, null, null, null);
    }
    JobCondition failed = condition(job, "Failed");
    boolean complete = condition(job, "Complete") != null || (st.getSucceeded() != null && st.getSucceeded() > 0);
    if (complete) {
      return new JobOutcome(State.SUCCEEDED, st.getStartTime(), st.getCompletionTime(),
          lastTerminated(pods, true), null);
    }
    if (failed != null) {
      String reason = failed.getReason() == null ? null
          : failed.getReason() + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
      String end = failed.getLastTransitionTime() != null ? failed.getLastTransitionTime() : failed.getLastProbeTime();
      return new JobOutcome(State.FAILED, st.getStartTime(), end, lastTerminated(pods, false), reason);
    }
    boolean active = st.getActive() != null && st.getActive() > 0;
    return new JobOutcome(active || st.getStartTime() != null ? State.RUNNING : State.WAITING, st.getStartTime(),
        null, null, null);
  }

  private static JobCondition condition(Job job, String type) {
    if (job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
  }

  /**
   * The termination message of the pod that ended last (with exit 0 when {@code ok}): by its
   * container's finish time, the creation time only breaking ties (it has a resolution of seconds).
   */
  private static String lastTerminated(List<Pod> pods, boolean ok) {
    return pods.stream()
        .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? Stream.empty()
            : p.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(st -> st != null && st.getTerminated() != null)
                .map(st -> Map.entry(Objects.toString(st.getTerminated().getFinishedAt(), "")
                    + "|" + Objects.toString(p.getMetadata().getCreationTimestamp(), ""), st.getTerminated())))
        .filter(e -> (e.getValue().getExitCode() != null && e.getValue().getExitCode() == 0) == ok)
        .filter(e -> e.getValue().getMessage() != null)
        .max(Map.Entry.comparingByKey())
        .map(e -> e.getValue().getMessage())
        .orElse(null);
  }
}
