package io.netty.handler.codec.redis;

import java.util.List;

/**
 * Calls {@link RedisDecoder}'s protected {@code decode} without a channel: RedisDecoder is final,
 * so only a class in its package can reach it (works on the class path, not the module path). The
 * decoder never touches its ChannelHandlerContext.
 */
public final class RedisDecoderShim {
  private final RedisDecoder decoder = new RedisDecoder();

  public void decode(io.netty.buffer.ByteBuf in, List<Object> out) {
    try {
      decoder.decode(null, in, out);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
