package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the restore of a new cluster, or of a running one in place, went. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {
  public static final String PENDING = "Pending";
  public static final String RESTORING = "Restoring";
  public static final String COMPLETED = "Completed";
  public static final String IGNORED = "Ignored";
  /** An in-place restore whose spec.restore went away before it restarted the master. */
  public static final String ABANDONED = "Abandoned";

  @JsonPropertyDescription("Pending (the source is not ready; no pod is created), Restoring, Completed, "
      + "Ignored (the cluster had pods already and no inPlace was given), or Abandoned (an in-place restore "
      + "removed from the spec while it ran).")
  public String phase;

  @JsonPropertyDescription("s3://bucket/key of the RDB restored.")
  public String source;

  @JsonPropertyDescription("The ValkeyBackup it came from, if any.")
  public String backup;

  @JsonPropertyDescription("When the restore started (the pods were created).")
  public String startTime;

  @JsonPropertyDescription("When the master had loaded it (and AOF was on again, if configured).")
  public String completionTime;

  @JsonPropertyDescription("Why it waits or was ignored.")
  public String reason;

  @JsonPropertyDescription("In place: the id (spec.restore.inPlace.id) this status is about.")
  public String id;

  @JsonPropertyDescription("In place: the step reached (HoldFailovers, StopWrites, RestoreMaster, "
      + "ResyncReplicas, EnableAof, LiftHold); an operator that restarts resumes there.")
  public String step;

  @JsonPropertyDescription("In place: the master's pod that is restarted onto the backup.")
  public String masterPod;

  @JsonPropertyDescription("In place: that pod's uid before its restart (a pod of another uid is the restarted one).")
  public String masterPodUid;

  @JsonPropertyDescription("In place: each step taken, with its start, end and what holds it up.")
  public java.util.List<RestoreStepStatus> steps;
}
