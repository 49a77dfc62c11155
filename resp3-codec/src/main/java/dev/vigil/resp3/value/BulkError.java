package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * {@code !len payload}: an error with a binary-safe message (RESP3; sent by modules and scripts). The payload is read-only; see {@link RespValue} for
 * who releases it.
 */
public final class BulkError implements RespValue {
  private final ByteBuf content;

  private BulkError(ByteBuf content) {
    this.content = content;
  }

  /** Takes ownership of {@code content} (its readable bytes are the payload). */
  public static BulkError wrap(ByteBuf content) {
    return new BulkError(content);
  }

  public static BulkError of(byte[] bytes) {
    return new BulkError(Unpooled.wrappedBuffer(bytes.clone()));
  }

  public static BulkError of(String text) {
    return new BulkError(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The payload; not a copy: do not change its indexes, use {@code duplicate()} to read it. */
  public ByteBuf content() {
    return content;
  }

  public int length() {
    return content.readableBytes();
  }

  public byte[] bytes() {
    return ByteBufUtil.getBytes(content);
  }

  /** The payload decoded as UTF-8. */
  public String message() {
    return content.toString(StandardCharsets.UTF_8);
  }

  @Override
  public RespType type() {
    return RespType.BULK_ERROR;
  }

  @Override
  public boolean isError() {
    return true;
  }

  @Override
  public int refCnt() {
    return content.refCnt();
  }

  @Override
  public BulkError retain() {
    content.retain();
    return this;
  }

  @Override
  public BulkError retain(int increment) {
    content.retain(increment);
    return this;
  }

  @Override
  public BulkError touch(Object hint) {
    content.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return content.release();
  }

  @Override
  public boolean release(int decrement) {
    return content.release(decrement);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BulkError b && Payloads.contentEquals(content, b.content);
  }

  @Override
  public int hashCode() {
    return Payloads.contentHash(content);
  }

  @Override
  public String toString() {
    return "!" + Payloads.preview(content);
  }
}
