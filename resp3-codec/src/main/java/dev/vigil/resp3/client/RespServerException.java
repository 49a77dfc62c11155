package dev.vigil.resp3.client;

import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;

/** The server answered with an error reply ({@code -ERR ...} or a bulk error). */
public class RespServerException extends RespClientException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public RespServerException(RespValue error) {
    this(Resp.text(error));
  }

  public RespServerException(String message) {
    super(message);
    int space = message.indexOf(' ');
    this.code = space < 0 ? message : message.substring(0, space);
  }

  /** The error code, the first word of the message: {@code ERR}, {@code NOAUTH}, {@code WRONGPASS}. */
  public String code() {
    return code;
  }
}
