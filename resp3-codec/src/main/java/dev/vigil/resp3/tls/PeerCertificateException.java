package dev.vigil.resp3.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A peer's certificate was refused; the message names its subject, issuer and the reason. */
public final class PeerCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /**
   * Where the user fixes what the message reports, in the words of the program's settings.
   *
   * @param caSetting the setting naming the trusted CAs, e.g. "tls-ca-cert-file/tls-ca-cert-dir"
   * @param hostnames when host names are checked, e.g. "when announce-hostnames ... is on"
   */
  public record Hints(String caSetting, String hostnames) {}

  PeerCertificateException(X509Certificate[] chain, CertificateException cause, Hints hints) {
    super(describe(chain, cause, hints), cause);
  }

  private static String describe(X509Certificate[] chain, CertificateException cause, Hints hints) {
    if (chain == null || chain.length == 0) {
      return "no certificate presented";
    }
    X509Certificate leaf = chain[0];
    Instant now = Instant.now();
    String reason;
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      reason = "expired on " + leaf.getNotAfter().toInstant();
    } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
      reason = "not valid before " + leaf.getNotBefore().toInstant();
    } else {
      reason = rootMessage(cause);
      if (reason.contains("No name matching") || reason.contains("No subject alternative")) {
        reason = "it does not name the host dialled (" + reason + "; host names are verified "
            + hints.hostnames() + ")";
      } else if (reason.contains("unable to find valid certification path")
          || reason.contains("PKIX path")) {
        reason = "not signed by a trusted CA (" + hints.caSetting() + ")";
      }
    }
    return "certificate subject '" + leaf.getSubjectX500Principal().getName() + "' issued by '"
        + leaf.getIssuerX500Principal().getName() + "': " + reason;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }
}
