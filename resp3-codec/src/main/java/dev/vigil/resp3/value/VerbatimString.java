package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * {@code =len fmt:payload}: a string with a three-byte format ({@code txt}, {@code mkd}). Valkey
 * sends INFO this way over RESP3. The payload excludes the {@code fmt:} prefix.
 */
public final class VerbatimString implements RespValue {
  private final String format;
  private final ByteBuf content;

  private VerbatimString(String format, ByteBuf content) {
    if (format.length() != 3 || format.getBytes(StandardCharsets.ISO_8859_1).length != 3) {
      throw new IllegalArgumentException("verbatim format must be exactly 3 bytes: " + format);
    }
    this.format = format;
    this.content = content;
  }

  /** Takes ownership of {@code content}; {@code format} is three ISO-8859-1 characters. */
  public static VerbatimString wrap(String format, ByteBuf content) {
    return new VerbatimString(format, content);
  }

  public static VerbatimString of(String format, String text) {
    return new VerbatimString(
        format, Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  public String format() {
    return format;
  }

  public ByteBuf content() {
    return content;
  }

  public byte[] bytes() {
    return ByteBufUtil.getBytes(content);
  }

  public String text() {
    return content.toString(StandardCharsets.UTF_8);
  }

  @Override
  public RespType type() {
    return RespType.VERBATIM_STRING;
  }

  @Override
  public int refCnt() {
    return content.refCnt();
  }

  @Override
  public VerbatimString retain() {
    content.retain();
    return this;
  }

  @Override
  public VerbatimString retain(int increment) {
    content.retain(increment);
    return this;
  }

  @Override
  public VerbatimString touch(Object hint) {
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
    return o instanceof VerbatimString v
        && format.equals(v.format)
        && Payloads.contentEquals(content, v.content);
  }

  @Override
  public int hashCode() {
    return format.hashCode() * 31 + Payloads.contentHash(content);
  }

  @Override
  public String toString() {
    return "=" + format + ":" + Payloads.preview(content);
  }
}
