package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator saw of the group's certificates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsStatus {
  /** Condition type: a certificate in use expires within spec.tls.expiryWarningDays. */
  public static final String EXPIRING_SOON = "CertificateExpiringSoon";

  @JsonPropertyDescription("The cert-manager Certificate the operator manages, if any.")
  public String certificate;

  @JsonPropertyDescription("Each certificate in use (the group's, then each CA of the bundle) and when it expires.")
  public List<Expiry> certificates = new ArrayList<>();

  /** One certificate and its expiry. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Expiry {
    @JsonPropertyDescription("Secret and key it was read from.")
    public String secret;
    public String key;
    public String subject;
    @JsonPropertyDescription("notAfter, RFC 3339.")
    public String notAfter;

    public Expiry() {}

    public Expiry(String secret, String key, String subject, String notAfter) {
      this.secret = secret;
      this.key = key;
      this.subject = subject;
      this.notAfter = notAfter;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expiry e && Objects.equals(secret, e.secret) && Objects.equals(key, e.key)
          && Objects.equals(subject, e.subject) && Objects.equals(notAfter, e.notAfter);
    }

    @Override
    public int hashCode() {
      return Objects.hash(secret, key, subject, notAfter);
    }
  }
}
