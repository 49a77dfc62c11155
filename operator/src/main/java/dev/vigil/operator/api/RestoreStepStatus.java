package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One step of an in-place restore, as it went. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStepStatus {
  public static final String RUNNING = "Running";
  public static final String DONE = "Done";
  public static final String ABANDONED = "Abandoned";

  @JsonPropertyDescription("HoldFailovers, StopWrites, RestoreMaster, ResyncReplicas, EnableAof or LiftHold.")
  public String name;

  @JsonPropertyDescription("Running, Done, or Abandoned (spec.restore.inPlace removed during it).")
  public String phase;

  public String startTime;

  public String completionTime;

  @JsonPropertyDescription("Why the step does not progress (e.g. the restore init container's failure).")
  public String reason;
}
