package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;

/** What the schedule did; written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValkeyBackupScheduleStatus {
  @PrinterColumn(name = "Last")
  @JsonPropertyDescription("The last time a backup was due (created or, with another in flight, skipped).")
  public String lastScheduleTime;

  @PrinterColumn(name = "Next")
  @JsonPropertyDescription("When the next backup is due; unset while suspended or invalid.")
  public String nextScheduleTime;

  @JsonPropertyDescription("Completion time of the newest completed backup of this schedule.")
  public String lastSuccessfulTime;

  @JsonPropertyDescription("The last backup this schedule created.")
  public String lastBackup;

  @JsonPropertyDescription("Why the schedule cannot run (an invalid cron or time zone), or why the last "
      + "due backup was skipped.")
  public String reason;
}
