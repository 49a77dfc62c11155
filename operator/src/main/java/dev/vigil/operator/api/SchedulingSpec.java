package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod placement. Without topologySpreadConstraints, pods spread over zones and hosts (best effort):
 * losing one node or zone must not take the master and its replicas together.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SchedulingSpec {
  @JsonPropertyDescription("Pod affinity and anti-affinity.")
  public Affinity affinity;

  @JsonPropertyDescription("Tolerations of the Valkey pods.")
  public List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("Node labels the pods require.")
  public Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Spread constraints; default: zones, then hosts, ScheduleAnyway.")
  public List<TopologySpreadConstraint> topologySpreadConstraints = new ArrayList<>();

  @JsonPropertyDescription("PriorityClass of the pods.")
  public String priorityClassName;
}
