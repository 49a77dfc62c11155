package dev.vigil.backup.repl;

import dev.vigil.resp3.tls.TlsFailure;

/** One line saying why the link to a node failed, TLS refusals named as the daemon names them. */
public final class LinkError {
  private LinkError() {}

  public static String describe(Throwable cause) {
    if (TlsFailure.isTls(cause)) {
      return TlsFailure.reason(cause);
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
