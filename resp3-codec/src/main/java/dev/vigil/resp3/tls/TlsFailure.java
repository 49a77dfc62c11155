package dev.vigil.resp3.tls;

import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** One line saying why a TLS connection failed, from whatever the stack threw. */
public final class TlsFailure {
  private TlsFailure() {}

  /** True when {@code t} (or a cause) is a TLS failure rather than, say, a refused connection. */
  public static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException || c instanceof PeerCertificateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why a connection failed, in one line: "TLS handshake failed: " and the most telling message
   * for a TLS failure, else the innermost cause's message.
   */
  public static String reason(Throwable t) {
    return isTls(t) ? "TLS handshake failed: " + describe(t) : rootMessage(t);
  }

  /** The message of the innermost cause: "Connection refused: /10.0.0.1:6379". */
  public static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  /** The most telling message in the chain: the refused certificate's description if any. */
  public static String describe(Throwable t) {
    String last = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PeerCertificateException) {
        return c.getMessage();
      }
      if (c instanceof NotSslRecordException) {
        return "the other side does not speak TLS (plaintext on a TLS port?)";
      }
      if (c instanceof SSLException && c.getMessage() != null) {
        String m = c.getMessage();
        if (m.contains("Empty client certificate chain")) {
          return "the client presented no certificate (tls-auth-clients yes requires one)";
        }
        if (m.contains("fatal alert")) {
          return "the other side refused the handshake (" + m.replaceFirst(".*: ", "")
              + "): our certificate, our CA or a protocol/cipher setting does not suit it";
        }
        last = m;
      }
      if (c instanceof ClosedChannelException && last == null) {
        last = "connection closed during the TLS handshake";
      }
      if (last == null && c.getMessage() != null) {
        last = c.getMessage();
      }
    }
    return last == null ? t.toString() : last;
  }
}
