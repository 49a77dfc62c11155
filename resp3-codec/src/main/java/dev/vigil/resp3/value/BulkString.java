package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * {@code $len payload}: a binary-safe string. The payload is read-only; see {@link RespValue} for
 * who releases it.
 */
public final class BulkString implements RespValue {
  public static final BulkString EMPTY = new BulkString(Unpooled.EMPTY_BUFFER);

  private final ByteBuf content;

  private BulkString(ByteBuf content) {
    this.content = content;
  }

  /** Takes ownership of {@code content} (its readable bytes are the payload). */
  public static BulkString wrap(ByteBuf content) {
    return new BulkString(content);
  }

  public static BulkString of(byte[] bytes) {
    return new BulkString(Unpooled.wrappedBuffer(bytes.clone()));
  }

  public static BulkString of(String text) {
    return new BulkString(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
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
  public String text() {
    return content.toString(StandardCharsets.UTF_8);
  }

  @Override
  public RespType type() {
    return RespType.BULK_STRING;
  }

  @Override
  public int refCnt() {
    return content.refCnt();
  }

  @Override
  public BulkString retain() {
    content.retain();
    return this;
  }

  @Override
  public BulkString retain(int increment) {
    content.retain(increment);
    return this;
  }

  @Override
  public BulkString touch(Object hint) {
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
    return o instanceof BulkString b && Payloads.contentEquals(content, b.content);
  }

  @Override
  public int hashCode() {
    return Payloads.contentHash(content);
  }

  @Override
  public String toString() {
    return "$" + Payloads.preview(content);
  }
}
