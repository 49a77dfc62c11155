package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** When to back up, what to keep, and the backups' template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValkeyBackupScheduleSpec {
  /** What a due backup does while another backup of the same cluster is in flight. */
  public enum ConcurrencyPolicy { Forbid }

  @Required
  @JsonPropertyDescription("Cron expression, five fields (minute hour day-of-month month day-of-week), "
      + "as in a Kubernetes CronJob; @hourly, @daily, @weekly, @monthly, @yearly too.")
  public String schedule;

  @Default("UTC")
  @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin.")
  public String timeZone = "UTC";

  @Default("false")
  @JsonPropertyDescription("No new backups while true; retention still prunes.")
  public Boolean suspend = false;

  @Default("Forbid")
  @JsonPropertyDescription("Forbid: a due backup is skipped while any backup of the cluster is in flight.")
  public ConcurrencyPolicy concurrencyPolicy = ConcurrencyPolicy.Forbid;

  @Min(1)
  @JsonPropertyDescription("Keep this many completed backups of this schedule; older ones are deleted "
      + "(their objects too when the template's deletionPolicy is Delete).")
  public Integer keepLast;

  @Pattern("^[0-9]+(m|h|d)$")
  @JsonPropertyDescription("Delete completed backups older than this (e.g. 30d, 12h, 90m); the newest "
      + "completed backup is always kept.")
  public String maxAge;

  @Required
  @JsonPropertyDescription("The backups to create: cluster, target, destination, deletionPolicy, job.")
  public BackupTemplate backup = new BackupTemplate();
}
