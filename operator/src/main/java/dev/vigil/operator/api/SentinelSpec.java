package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Vigil's failover daemons: beside each Valkey pod, or as their own Deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SentinelSpec {
  /** Where the daemons run. */
  public enum Mode { sidecar, deployment }

  @Default("sidecar")
  @JsonPropertyDescription("sidecar: a daemon in every Valkey pod; deployment: a separate Deployment.")
  public Mode mode = Mode.sidecar;

  @Min(1)
  @Default("3")
  @JsonPropertyDescription("Daemons in deployment mode (odd: 3 or 5).")
  public Integer replicas = 3;

  @Min(1)
  @JsonPropertyDescription("Daemons that must see the master down; default: a majority of the daemons.")
  public Integer quorum;

  @Min(100)
  @Default("5000")
  @JsonPropertyDescription("No valid reply for this long makes a node subjectively down.")
  public Integer downAfterMilliseconds = 5000;

  @Min(1000)
  @Default("60000")
  @JsonPropertyDescription("Bounds every phase of a failover.")
  public Integer failoverTimeout = 60000;

  @Min(1)
  @Default("1")
  @JsonPropertyDescription("Replicas re-pointed at once after a failover.")
  public Integer parallelSyncs = 1;

  @Min(1)
  @Max(65535)
  @Default("26379")
  @JsonPropertyDescription("The daemons' Sentinel-protocol port.")
  public Integer port = 26379;

  @JsonPropertyDescription("Daemon image; default: the operator's.")
  public String image;

  @JsonPropertyDescription("CPU and memory of each daemon (default 50m and 128Mi, requests = limits).")
  public ResourceRequirements resources;

  /** The quorum in effect: as set, or a majority of the daemons. */
  public int effectiveQuorum(int daemons) {
    return quorum != null ? quorum : daemons / 2 + 1;
  }
}
