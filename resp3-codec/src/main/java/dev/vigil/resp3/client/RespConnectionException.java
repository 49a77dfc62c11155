package dev.vigil.resp3.client;

/**
 * The connection is not usable: never established, lost, or closed. A command failed with this
 * may or may not have reached the server if it had been written.
 */
public class RespConnectionException extends RespClientException {
  private static final long serialVersionUID = 1L;

  public RespConnectionException(String message) {
    super(message);
  }

  public RespConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
