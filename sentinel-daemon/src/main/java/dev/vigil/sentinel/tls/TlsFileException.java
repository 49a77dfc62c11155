package dev.vigil.sentinel.tls;

/** A TLS file that cannot be used; the message names the directive, the file and the reason. */
public final class TlsFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public TlsFileException(String message) {
    super(message);
  }

  public TlsFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
