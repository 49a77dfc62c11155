package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** How a backup went; written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValkeyBackupStatus {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";
  /** Condition types. */
  public static final String COMPLETE = "Complete";
  public static final String FAILED_CONDITION = "Failed";

  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription("Pending, Running, Completed or Failed.")
  public String phase;

  @JsonPropertyDescription("The Job running the agent.")
  public String jobName;

  @PrinterColumn(name = "Source")
  @JsonPropertyDescription("The pod the RDB is taken from.")
  public String sourcePod;

  @PrinterColumn(name = "Role")
  @JsonPropertyDescription("Its role when the backup started: master or replica.")
  public String sourceRole;

  @JsonPropertyDescription("Bucket of the objects.")
  public String bucket;

  @JsonPropertyDescription("Key of the RDB object (what `vigil restore --key` and spec.restore take).")
  public String objectKey;

  @JsonPropertyDescription("Key of the manifest, written last: without it there is no backup.")
  public String manifestKey;

  @PrinterColumn(name = "Size")
  @JsonPropertyDescription("Bytes of the RDB object.")
  public Long size;

  @JsonPropertyDescription("SHA-256 of the RDB object (hex).")
  public String sha256;

  @JsonPropertyDescription("When the agent started (the Job's start).")
  public String startTime;

  @JsonPropertyDescription("When the backup completed or failed.")
  public String completionTime;

  @PrinterColumn(name = "Duration")
  @JsonPropertyDescription("How long it took, e.g. 42s.")
  public String duration;

  @JsonPropertyDescription("Why it failed or waits, in one line.")
  public String reason;

  @JsonPropertyDescription("Conditions: Complete, Failed.")
  public List<Condition> conditions = new ArrayList<>();
}
