package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed; written only when it changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValkeyClusterStatus {
  /** Condition types. */
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String SPEC_INVALID = "SpecInvalid";
  public static final String SPLIT_BRAIN = "SplitBrain";

  @PrinterColumn(name = "Phase", priority = 0)
  @JsonPropertyDescription("Pending, Ready, Degraded or Invalid.")
  public String phase;

  @JsonPropertyDescription("The generation this status describes.")
  public Long observedGeneration;

  @PrinterColumn(name = "Master")
  @JsonPropertyDescription("The pod the daemons elected master.")
  public String master;

  @JsonPropertyDescription("The master's address as the daemons report it.")
  public String masterAddress;

  @PrinterColumn(name = "Ready")
  @JsonPropertyDescription("Valkey pods ready (from the daemons' view).")
  public Integer readyReplicas;

  @StatusReplicas
  @JsonPropertyDescription("Valkey pods that exist.")
  public Integer replicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the Valkey pods (for the scale subresource).")
  public String selector;

  @JsonPropertyDescription("The last failover the operator saw.")
  public FailoverRecord lastFailover;

  @JsonPropertyDescription("The restore from spec.restore.")
  public RestoreStatus restore;

  @JsonPropertyDescription("Certificates in use and their expiry, with spec.tls on.")
  public TlsStatus tls;

  @JsonPropertyDescription("The TLS shape the Valkey pods run: off, migration (plaintext and TLS ports, "
      + "plaintext links), links-by-port and tls-addresses (a migration's phases on the way to TLS only or "
      + "back) or on (TLS only); two, comma-separated, while a roll from one to the next is under way. Absent "
      + "when neither the spec nor a pod has TLS.")
  public String tlsMode;

  @JsonPropertyDescription("Conditions: Ready, Progressing, Degraded, SpecInvalid, SplitBrain, "
      + "CertificateExpiringSoon (with spec.tls on).")
  public List<Condition> conditions = new ArrayList<>();

  /** A master change the daemons made. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FailoverRecord {
    public String time;
    public String from;
    public String to;

    public FailoverRecord() {}

    public FailoverRecord(String time, String from, String to) {
      this.time = time;
      this.from = from;
      this.to = to;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FailoverRecord f && Objects.equals(time, f.time)
          && Objects.equals(from, f.from) && Objects.equals(to, f.to);
    }

    @Override
    public int hashCode() {
      return Objects.hash(time, from, to);
    }
  }
}
