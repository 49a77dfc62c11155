package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
}
