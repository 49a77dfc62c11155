package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a cluster's data comes from: a {@link ValkeyBackup}, or an S3 location and key (a
 * backup whose resource is gone: the objects describe themselves). Without {@link #inPlace} only
 * a new cluster is restored (on a cluster that has pods already it is reported as ignored); with
 * it, a running cluster is restored in place.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.backup) != (has(self.destination) && has(self.key))",
    message = "restore takes a backup, or a destination and a key")
public class RestoreSpec {
  @JsonPropertyDescription("A Completed ValkeyBackup in this namespace.")
  public String backup;

  @JsonPropertyDescription("Or the S3 location of a backup (same fields as a ValkeyBackup's destination).")
  public S3Destination destination;

  @JsonPropertyDescription("With destination: the backup's RDB object key (its manifest's key works too).")
  public String key;

  @JsonPropertyDescription("Restore a running cluster in place: failovers are held, writes refused on the "
      + "master, the master's pod restarted onto the backup, the replicas fully resynced from it, then the "
      + "hold lifted. Writes are refused (NOREPLICAS) once failovers are held, until the master has loaded the "
      + "backup; the data taken since the backup is lost. Needs confirm (this cluster's name) and id "
      + "(each id is restored once).")
  public InPlaceRestore inPlace;

  @Min(0)
  @Max(31_622_400)
  @JsonPropertyDescription("Seconds each pod's restore init container may take to download and verify the "
      + "backup before it gives up (exit 1, saying how far it got; the kubelet retries it with back-off, from "
      + "the start, and status.restore.reason says why the cluster does not come up). Unset or 0: no bound, "
      + "since a large backup over a slow link may rightly take hours; a download that stalls (less than 1 MiB "
      + "in 120 s) is given up whatever this says.")
  public Long deadlineSeconds;

  /** The deadline in force, 0 for none. */
  public long deadline() {
    return deadlineSeconds == null ? 0 : deadlineSeconds;
  }
}
