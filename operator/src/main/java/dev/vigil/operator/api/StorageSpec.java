package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** A PersistentVolumeClaim per pod, kept when the cluster is deleted unless told otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  @Default("1Gi")
  @JsonPropertyDescription("Size of each pod's volume.")
  public String size = "1Gi";

  @JsonPropertyDescription("StorageClass; the cluster default when unset.")
  public String storageClassName;

  @Default("false")
  @JsonPropertyDescription("Delete the volumes when the ValkeyCluster is deleted or scaled in "
      + "(default: keep them, the data may be needed).")
  public Boolean deleteClaims = false;
}
