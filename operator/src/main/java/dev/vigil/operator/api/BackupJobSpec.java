package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings of the Jobs that run the backup agent (the backup, and the deletion of its objects). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class BackupJobSpec {
  @JsonPropertyDescription("CPU and memory of the agent; default requests 100m/192Mi, limit 192Mi "
      + "(its peak RSS is about 126 MiB whatever the dataset's size: three 8 MiB parts outside a "
      + "24 MiB heap).")
  public ResourceRequirements resources;

  @Min(1)
  @Default("3600")
  @JsonPropertyDescription("Seconds before the Job is stopped (the agent then aborts its upload).")
  public Long activeDeadlineSeconds = 3600L;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription("Retries of a failed agent run (each takes a new RDB).")
  public Integer backoffLimit = 1;

  @JsonPropertyDescription("Node labels the agent's pod requires.")
  public Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations of the agent's pod.")
  public List<Toleration> tolerations = new ArrayList<>();
}
