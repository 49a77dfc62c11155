package dev.vigil.resp3.codec;

import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes a byte stream into {@link RespValue}s, one message per top-level frame (pushes
 * included). Works on any fragmentation: it resumes in {@link RespParser}'s state, never re-parsing
 * consumed bytes.
 *
 * <p>Reference counting: with {@link PayloadMode#RETAINED_SLICE} payloads of at least
 * {@code sliceThreshold} bytes are retained slices of the cumulation buffer, so every value passed
 * down the pipeline must be released once by whoever consumes it (or left to the pipeline tail).
 * While such a slice lives, Netty's cumulator copies rather than grows the cumulation in place,
 * which is safe. With {@link PayloadMode#COPY} (what the client uses) values are plain heap data.
 *
 * <p>On a protocol error the partial frame is released, the exception travels up the pipeline and
 * the channel is closed: RESP cannot resynchronise.
 */
public final class RespDecoder extends ByteToMessageDecoder {
  private final RespParser parser;
  private final RespValueBuilder builder;
  private final boolean closeOnError;
  private List<Object> out;

  public RespDecoder(
      RespLimits limits, boolean inlineCommands, PayloadMode mode, int sliceThreshold) {
    this(limits, inlineCommands, mode, sliceThreshold, true);
  }

  /**
   * @param closeOnError close the channel on a protocol error; a server passes false to write
   *     its {@code -ERR Protocol error} reply first, then close, in its exceptionCaught
   */
  public RespDecoder(RespLimits limits, boolean inlineCommands, PayloadMode mode,
      int sliceThreshold, boolean closeOnError) {
    this.parser = new RespParser(limits, inlineCommands);
    this.builder = new RespValueBuilder(mode, sliceThreshold, v -> out.add(v));
    this.closeOnError = closeOnError;
  }

  /** A client-side decoder: default limits, copied payloads, no inline commands. */
  public RespDecoder() {
    this(RespLimits.DEFAULT, false, PayloadMode.COPY, 0);
  }

  /**
   * A server-side decoder: accepts inline commands too, and leaves closing the channel after a
   * protocol error to the server's handler (which answers with the error first).
   */
  public static RespDecoder forServer(RespLimits limits) {
    return new RespDecoder(limits, true, PayloadMode.COPY, 0, false);
  }

  /** Room made at once for a large payload, whatever has arrived of it so far. */
  private static final int EAGER_GROWTH = 1 << 20;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    this.out = out;
    try {
      parser.parse(in, builder);
      makeRoomForPayload(parser, in);
    } catch (RespProtocolException e) {
      builder.reset();
      in.skipBytes(in.readableBytes());
      if (closeOnError) {
        ctx.close();
      }
      throw e;
    } finally {
      this.out = null;
    }
  }

  /**
   * A large payload arriving in small reads would otherwise make the cumulation grow (and copy)
   * through every power of two. Grow it once towards the payload's size instead, but never beyond
   * 1 MiB or twice what has arrived: a declared length alone must not allocate anything.
   */
  public static void makeRoomForPayload(RespParser parser, ByteBuf in) {
    int need = parser.bytesAwaited(in);
    if (need <= in.writableBytes() || in.refCnt() != 1 || in.isReadOnly()) {
      return;
    }
    long bound = Math.max(EAGER_GROWTH, 2L * in.readableBytes());
    int target = (int) Math.min(need, Math.min(bound, in.maxWritableBytes()));
    if (target > in.writableBytes()) {
      in.ensureWritable(target);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    builder.reset();
  }
}
