package dev.vigil.resp3.codec;

import dev.vigil.resp3.value.RespNull;
import io.netty.buffer.ByteBuf;

/**
 * Receives what {@link RespParser} reads, as events, with no allocation on the parser's side.
 *
 * <p>Byte ranges point into the parser's input buffer and are valid only during the call: a sink
 * that keeps a payload must copy it or take a retained slice. Aggregates arrive as
 * {@link #aggregateStart} ... {@link #aggregateEnd} around their elements (keys and values
 * alternate for maps and attributes); an attribute annotates the value that follows it at the same
 * level. {@link #frameEnd} follows each complete top-level value.
 */
public interface RespSink {
  void simpleString(ByteBuf buf, int index, int length);

  void simpleError(ByteBuf buf, int index, int length);

  void integer(long value);

  /** A double's validated text. */
  void doubleValue(ByteBuf buf, int index, int length);

  /** A big number's validated text. */
  void bigNumber(ByteBuf buf, int index, int length);

  void booleanValue(boolean value);

  void nullValue(RespNull kind);

  void bulkString(ByteBuf buf, int index, int length);

  void bulkError(ByteBuf buf, int index, int length);

  /** A verbatim string; {@code index} points at its three-byte format, then {@code ':'}. */
  void verbatimString(ByteBuf buf, int index, int length);

  /** {@code $?}: chunks follow, then {@link #streamedStringEnd}. */
  void streamedStringStart();

  void streamedStringChunk(ByteBuf buf, int index, int length);

  void streamedStringEnd();

  /**
   * An array ({@code '*'}), set ({@code '~'}), map ({@code '%'}), push ({@code '>'}) or attribute
   * ({@code '|'}) begins; {@code count} is elements (pairs for maps and attributes), or -1 when
   * streamed.
   */
  void aggregateStart(byte type, int count);

  void aggregateEnd();

  void frameEnd();
}
