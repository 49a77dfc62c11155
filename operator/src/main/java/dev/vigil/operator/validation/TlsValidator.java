package dev.vigil.operator.validation;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The checks of {@code spec.tls}: each problem a sentence saying what is wrong and what to do. */
final class TlsValidator {
  /** valkey.conf directives spec.tls sets when TLS is on. */
  static final Set<String> OWNED = Set.of("tls-port", "tls-cert-file", "tls-key-file", "tls-ca-cert-file",
      "tls-ca-cert-dir", "tls-auth-clients", "tls-replication", "tls-client-cert-file", "tls-client-key-file");

  /** The daemons' HTTP port (ConfigMapModel.DAEMON_HTTP_PORT), which no other port may take. */
  private static final int DAEMON_HTTP_PORT = 26380;

  private TlsValidator() {}

  static List<String> problems(ValkeyClusterSpec s) {
    List<String> p = new ArrayList<>();
    TlsSpec t = s.tls;
    if (t == null || !t.on()) {
      return p;
    }
    boolean hasSecret = t.secretName != null && !t.secretName.isBlank();
    if (t.certManager() == hasSecret) {
      p.add("spec.tls needs exactly one of issuerRef (cert-manager issues the certificate) and secretName "
          + "(an existing Secret)");
    }
    if (t.certManager()) {
      if (t.issuerRef.name == null || t.issuerRef.name.isBlank()) {
        p.add("spec.tls.issuerRef.name must name an Issuer or ClusterIssuer");
      }
      if (!"Issuer".equals(t.issuerRef.kind) && !"ClusterIssuer".equals(t.issuerRef.kind)
          && "cert-manager.io".equals(t.issuerRef.group)) {
        p.add("spec.tls.issuerRef.kind must be Issuer or ClusterIssuer (got " + t.issuerRef.kind + ")");
      }
      duration(p, "spec.tls.duration", t.duration);
      duration(p, "spec.tls.renewBefore", t.renewBefore);
    } else if (t.duration != null || t.renewBefore != null) {
      p.add("spec.tls.duration and renewBefore apply to cert-manager only; with secretName the Secret's "
          + "owner renews it");
    }
    for (var key : List.of(new String[] {"certKey", t.certKey}, new String[] {"keyKey", t.keyKey},
        new String[] {"caKey", t.caKey})) {
      if (key[1] == null || !key[1].matches("[-._a-zA-Z0-9]+")) {
        p.add("spec.tls." + key[0] + " must be a Secret key (letters, digits, '-', '_', '.'), got " + key[1]);
      }
    }
    if (t.clientAuth == null) {
      p.add("spec.tls.clientAuth must be none, optional or required");
    }
    if (t.keepsPlaintext()) {
      List<Integer> taken = List.of(s.port, s.sentinel.port, DAEMON_HTTP_PORT);
      if (t.port == null || taken.contains(t.port)) {
        p.add("spec.tls.port (" + t.port + ") must differ from spec.port, spec.sentinel.port and " + DAEMON_HTTP_PORT
            + " while plaintext is kept");
      }
      if (t.sentinelPort == null || taken.contains(t.sentinelPort) || t.sentinelPort.equals(t.port)) {
        p.add("spec.tls.sentinelPort (" + t.sentinelPort + ") must differ from spec.port, spec.sentinel.port, "
            + DAEMON_HTTP_PORT + " and spec.tls.port while plaintext is kept");
      }
    }
    if (t.expiryWarningDays == null || t.expiryWarningDays < 1) {
      p.add("spec.tls.expiryWarningDays must be at least 1");
    }
    for (String name : t.dnsNames) {
      if (name == null || !name.toLowerCase(Locale.ROOT).matches("(\\*\\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        p.add("spec.tls.dnsNames entry '" + name + "' is not a DNS name");
      }
    }
    for (String key : s.config.keySet()) {
      if (OWNED.contains(key.toLowerCase(Locale.ROOT).strip())) {
        p.add("spec.config." + key + " is set from spec.tls while TLS is on; remove it");
      }
    }
    return p;
  }

  /** Go's duration syntax, as cert-manager reads it (fabric8's parser accepts more). */
  private static final java.util.regex.Pattern GO_DURATION =
      java.util.regex.Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

  private static void duration(List<String> p, String field, String value) {
    if (value == null) {
      return;
    }
    if (value.startsWith("-") && GO_DURATION.matcher(value.substring(1)).matches()) {
      p.add(field + " must not be negative (got " + value + ")");
    } else if (!GO_DURATION.matcher(value).matches()) {
      p.add(field + " must be a duration such as 2160h or 90m (got " + value + ")");
    }
  }
}
