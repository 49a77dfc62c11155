package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the restore of a new cluster went. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {
  public static final String PENDING = "Pending";
  public static final String RESTORING = "Restoring";
  public static final String COMPLETED = "Completed";
  public static final String IGNORED = "Ignored";

  @JsonPropertyDescription("Pending (the source is not ready; no pod is created), Restoring, Completed, "
      + "or Ignored (the cluster had pods already).")
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
}
