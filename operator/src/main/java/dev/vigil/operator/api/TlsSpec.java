package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS on every link of the group: clients, replication, daemons to nodes and to each other, the
 * operator's own connections. The certificate comes from cert-manager ({@code issuerRef}) or from
 * a Secret the user keeps ({@code secretName}); exactly one of them. Defaults live here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
  /** How Valkey and the daemons treat clients without a certificate. */
  public enum ClientAuth { none, optional, required }

  @Default("false")
  @JsonPropertyDescription("TLS on every link.")
  public Boolean enabled = false;

  @JsonPropertyDescription("cert-manager issuer that signs the group's certificate; the operator creates "
      + "the Certificate <name>-tls (Secret <name>-tls). Leave out to use secretName.")
  public IssuerRef issuerRef;

  @JsonPropertyDescription("Lifetime cert-manager asks for (Go duration, e.g. 2160h); default: the issuer's.")
  public String duration;

  @JsonPropertyDescription("Renew this long before expiry (Go duration, e.g. 360h); default: cert-manager's.")
  public String renewBefore;

  @JsonPropertyDescription("DNS names to add to the certificate besides the ones every Service and pod is "
      + "reached by (e.g. a LoadBalancer's name).")
  public List<String> dnsNames = new ArrayList<>();

  @JsonPropertyDescription("An existing kubernetes.io/tls Secret to use instead of cert-manager. Its key must "
      + "be PKCS#8 or PKCS#1 RSA PEM (the daemons refuse SEC1 EC keys); its certificate must name the "
      + "hosts listed in the README and allow server and client auth.")
  public String secretName;

  @Default("tls.crt")
  @JsonPropertyDescription("Key of the certificate chain in the certificate Secret.")
  public String certKey = "tls.crt";

  @Default("tls.key")
  @JsonPropertyDescription("Key of the private key in the certificate Secret.")
  public String keyKey = "tls.key";

  @JsonPropertyDescription("Secret holding the CA certificates peers and clients are checked against; "
      + "default: the certificate Secret. Its caKey may hold several PEM certificates (a bundle), so a "
      + "new CA can be trusted before certificates signed by it are rolled out.")
  public String caSecretName;

  @Default("ca.crt")
  @JsonPropertyDescription("Key of the CA bundle in the CA Secret.")
  public String caKey = "ca.crt";

  @Default("required")
  @JsonPropertyDescription("Clients of Valkey and of the daemons: none (no certificate asked), optional "
      + "(checked when presented) or required (mutual TLS).")
  public ClientAuth clientAuth = ClientAuth.required;

  @Default("false")
  @JsonPropertyDescription("Keep the plaintext ports (spec.port, spec.sentinel.port) during a migration; "
      + "TLS is then on port and sentinelPort below, and replication and daemon links stay plaintext. "
      + "Off: TLS only, on spec.port and spec.sentinel.port, every link over TLS. A running cluster goes "
      + "between no TLS and plaintext: true as one rolling change, either way. To TLS only on a running "
      + "cluster, set enabled: true, plaintext: false and spec.port/spec.sentinel.port to ports its pods do not "
      + "serve plaintext on (from a migration: port and sentinelPort below, where clients moved): the operator "
      + "rolls the pods through compatible phases (TLS added, links by port, addresses on the TLS ports, "
      + "plaintext closed), each a rolling change with a switchover. Back the same way with the plaintext ports "
      + "in spec.port/spec.sentinel.port. A change the phases cannot make is refused (condition SpecInvalid) "
      + "with nothing applied.")
  public Boolean plaintext = false;

  @Min(1)
  @Max(65535)
  @Default("6380")
  @JsonPropertyDescription("Valkey's TLS port while plaintext is kept.")
  public Integer port = 6380;

  @Min(1)
  @Max(65535)
  @Default("26381")
  @JsonPropertyDescription("The daemons' TLS port while plaintext is kept.")
  public Integer sentinelPort = 26381;

  @Min(1)
  @Default("7")
  @JsonPropertyDescription("The CertificateExpiringSoon condition turns true when a certificate in use "
      + "expires within this many days (cert-manager renews well before: one that close failed to renew).")
  public Integer expiryWarningDays = 7;

  /** The cert-manager issuer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IssuerRef {
    @JsonPropertyDescription("Name of the Issuer or ClusterIssuer.")
    public String name;

    @Default("Issuer")
    @JsonPropertyDescription("Issuer (in the cluster's namespace) or ClusterIssuer.")
    public String kind = "Issuer";

    @Default("cert-manager.io")
    @JsonPropertyDescription("API group of the issuer.")
    public String group = "cert-manager.io";
  }

  public boolean on() {
    return Boolean.TRUE.equals(enabled);
  }

  /** TLS with the plaintext ports kept (a migration). */
  public boolean keepsPlaintext() {
    return on() && Boolean.TRUE.equals(plaintext);
  }

  public boolean certManager() {
    return issuerRef != null;
  }
}
