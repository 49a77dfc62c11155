package dev.vigil.resp3.codec;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * Malformed or over-limit input. The stream cannot be resynchronised after it (RESP has no frame
 * markers), so the decoder refuses further input and its channel is closed.
 */
public final class RespProtocolException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final String reason;

  public RespProtocolException(long offset, String reason) {
    super("RESP protocol error at byte " + offset + ": " + reason);
    this.offset = offset;
    this.reason = reason;
  }

  /** Offset of the offending byte from the start of the stream. */
  public long offset() {
    return offset;
  }

  public String reason() {
    return reason;
  }
}
