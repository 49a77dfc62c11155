package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code $len payload}: a binary-safe string. The payload is either a plain byte array (copied
 * payloads: nothing to release, the common case for small values and for the client) or a retained
 * slice of a decoder's input (zero-copy; see {@link RespValue} for who releases it). Equality is by
 * content, whichever the form.
 */
public final class BulkString implements RespValue {
  public static final BulkString EMPTY = new BulkString(new byte[0], null);

  private final byte[] bytes;
  private final ByteBuf buf;

  private BulkString(byte[] bytes, ByteBuf buf) {
    this.bytes = bytes;
    this.buf = buf;
  }

  /** Takes ownership of {@code content} (its readable bytes are the payload). */
  public static BulkString wrap(ByteBuf content) {
    return new BulkString(null, content);
  }

  /** Wraps bytes the caller will not modify afterwards (no copy). */
  public static BulkString ofTrusted(byte[] bytes) {
    return new BulkString(bytes, null);
  }

  public static BulkString of(byte[] bytes) {
    return new BulkString(bytes.clone(), null);
  }

  public static BulkString of(String text) {
    return new BulkString(text.getBytes(StandardCharsets.UTF_8), null);
  }

  /**
   * The payload as a buffer; not a copy and not to be modified. For a heap payload this is a new
   * wrapper on each call.
   */
  public ByteBuf content() {
    return buf != null ? buf : Unpooled.wrappedBuffer(bytes);
  }

  public int length() {
    return buf != null ? buf.readableBytes() : bytes.length;
  }

  public byte[] bytes() {
    return buf != null ? ByteBufUtil.getBytes(buf) : bytes.clone();
  }

  /** Writes the payload to {@code out} without changing this value. */
  public void copyTo(ByteBuf out) {
    if (buf != null) {
      out.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
    } else {
      out.writeBytes(bytes);
    }
  }

  /** The payload decoded as UTF-8. */
  public String text() {
    return buf != null ? buf.toString(StandardCharsets.UTF_8) : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public RespType type() {
    return RespType.BULK_STRING;
  }

  @Override
  public int refCnt() {
    return buf != null ? buf.refCnt() : 1;
  }

  @Override
  public BulkString retain() {
    if (buf != null) {
      buf.retain();
    }
    return this;
  }

  @Override
  public BulkString retain(int increment) {
    if (buf != null) {
      buf.retain(increment);
    }
    return this;
  }

  @Override
  public BulkString touch(Object hint) {
    if (buf != null) {
      buf.touch(hint);
    }
    return this;
  }

  @Override
  public boolean release() {
    return buf != null && buf.release();
  }

  @Override
  public boolean release(int decrement) {
    return buf != null && buf.release(decrement);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BulkString b)) {
      return false;
    }
    if (bytes != null && b.bytes != null) {
      return Arrays.equals(bytes, b.bytes);
    }
    return Payloads.contentEquals(content(), b.content());
  }

  @Override
  public int hashCode() {
    return Payloads.contentHash(content());
  }

  @Override
  public String toString() {
    return "$" + Payloads.preview(content());
  }
}
