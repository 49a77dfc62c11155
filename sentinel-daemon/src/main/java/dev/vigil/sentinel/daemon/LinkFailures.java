package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.tls.TlsFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a link cannot connect, once per outage and reason: the first failed attempt is logged,
 * then only a reason not seen before in the same outage (a refused handshake can also surface as
 * a write failure on a closing channel; alternating between the two must not log every retry),
 * and the recovery once. A wrong CA or an expired certificate on a node retried every ping period
 * is one line, not thousands. Called on the link's event loop only.
 */
final class LinkFailures {
  private static final Logger log = LoggerFactory.getLogger(LinkFailures.class);

  private static final int MAX_REASONS = 8;

  private final String what;
  private final java.util.Set<String> seen = new java.util.LinkedHashSet<>();
  private String lastReason;

  LinkFailures(String what) {
    this.what = what;
  }

  void attemptFailed(Throwable cause) {
    boolean tls = TlsFailure.isTls(cause);
    String reason = TlsFailure.reason(cause);
    if (seen.contains(reason) || seen.size() >= MAX_REASONS) {
      return;
    }
    seen.add(reason);
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
    seen.clear();
  }

  /** The last reason logged, or null while the link is up (for tests and diagnostics). */
  String lastReason() {
    return lastReason;
  }
}
