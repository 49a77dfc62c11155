package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user asks for. Defaults live here (and in the CRD schema, so the API server fills them
 * in as well); {@code SpecValidator} checks what the schema cannot.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.sentinel) || !has(self.sentinel.quorum) || self.sentinel.quorum <= "
    + "((has(self.sentinel.mode) && self.sentinel.mode == 'deployment') "
    + "? (has(self.sentinel.replicas) ? self.sentinel.replicas : 3) "
    + ": (has(self.replicas) ? self.replicas : 3))",
    message = "sentinel.quorum must not exceed the number of daemons")
public class ValkeyClusterSpec {
  @SpecReplicas
  @Min(1)
  @Default("3")
  @JsonPropertyDescription("Valkey pods in the group: one master, the rest replicas.")
  public Integer replicas = 3;

  @JsonPropertyDescription("Valkey image; default valkey/valkey:<version>.")
  public String image;

  @Default("8.1")
  @JsonPropertyDescription("Valkey version, used when image is not set.")
  public String version = "8.1";

  @Min(1)
  @Max(65535)
  @Default("6379")
  @JsonPropertyDescription("Port Valkey listens on.")
  public Integer port = 6379;

  @JsonPropertyDescription("CPU and memory of the Valkey container. Without limits, requests equal to "
      + "limits of 500m CPU and 512Mi are used (Guaranteed QoS); maxmemory is 80% of the memory "
      + "limit unless config sets it.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Persistent storage for each Valkey pod.")
  public StorageSpec storage = new StorageSpec();

  @JsonPropertyDescription("Extra valkey.conf directives. Directives Vigil owns (replicaof, port, "
      + "requirepass, dir, ...) are refused.")
  public Map<String, String> config = new LinkedHashMap<>();

  @JsonPropertyDescription("Password: an existing Secret, or one the operator generates.")
  public AuthSpec auth = new AuthSpec();

  @JsonPropertyDescription("The failover daemons.")
  public SentinelSpec sentinel = new SentinelSpec();

  @JsonPropertyDescription("Where the pods run.")
  public SchedulingSpec scheduling = new SchedulingSpec();

  @JsonPropertyDescription("The Services applications use.")
  public ServiceSpec service = new ServiceSpec();

  @JsonPropertyDescription("Restore a new cluster from a backup before it takes traffic.")
  public RestoreSpec restore;

  @JsonPropertyDescription("TLS on every link, certificates from cert-manager or a Secret.")
  public TlsSpec tls = new TlsSpec();

  /** The image actually run: {@code image}, or the official one for {@code version}. */
  public String effectiveImage() {
    return image != null && !image.isBlank() ? image : "valkey/valkey:" + version;
  }
}
