package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;

/** The write (master) and read (replicas) Services. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
  @Default("ClusterIP")
  @Pattern("^(ClusterIP|NodePort|LoadBalancer)$")
  @JsonPropertyDescription("Type of the write and read Services.")
  public String type = "ClusterIP";

  @JsonPropertyDescription("Annotations of the write and read Services.")
  public Map<String, String> annotations = new LinkedHashMap<>();
}
