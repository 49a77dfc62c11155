package dev.vigil.resp3.client;

/** Base of the client's failures; the subclass says whether the command may have run. */
public class RespClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RespClientException(String message) {
    super(message);
  }

  public RespClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
