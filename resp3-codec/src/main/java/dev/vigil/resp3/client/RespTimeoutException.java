package dev.vigil.resp3.client;

/** No reply within the command timeout. The reply, if it comes later, is discarded. */
public class RespTimeoutException extends RespClientException {
  private static final long serialVersionUID = 1L;

  public RespTimeoutException(String message) {
    super(message);
  }
}
