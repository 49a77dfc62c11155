package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.tls.TlsFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a link cannot connect, once per change: the first failed attempt and every change of
 * reason are logged, the retries in between are not, and the recovery is logged once. A wrong CA
 * or an expired certificate on a node retried every ping period must be one line, not thousands.
 * Called on the link's event loop only.
 */
final class LinkFailures {
  private static final Logger log = LoggerFactory.getLogger(LinkFailures.class);

  private final String what;
  private String lastReason;

  LinkFailures(String what) {
    this.what = what;
  }

  void attemptFailed(Throwable cause) {
    boolean tls = TlsFailure.isTls(cause);
    String reason = tls ? "TLS handshake failed: " + TlsFailure.describe(cause)
        : TlsFailure.rootMessage(cause);
    if (reason.equals(lastReason)) {
      return;
    }
    lastReason = reason;
    if (tls) {
      log.warn("cannot connect to {}: {}", what, reason);
    } else {
      log.info("cannot connect to {}: {}", what, reason);
    }
  }

  void connected() {
    if (lastReason != null) {
      log.info("connected to {} again", what);
      lastReason = null;
    }
  }

  /** The last reason logged, or null while the link is up (for tests and diagnostics). */
  String lastReason() {
    return lastReason;
  }
}
