package dev.vigil.resp3.bench;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.redis.AbstractStringRedisMessage;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisDecoderShim;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's RedisDecoder alone (no aggregators): a message per element part, bulk content as
 * retained slices of the cumulation, each message released once emitted. Driven through the same
 * ByteToMessageDecoder emulation as our parser.
 */
final class NettyRaw implements Contender {
  private final Feed feed;
  private final boolean walk;
  private final RedisDecoderShim decoder = new RedisDecoderShim();
  private final NettyReadLoop loop = new NettyReadLoop(this::decode);
  private final List<Object> out = new ArrayList<>();
  private final Tally.Counter counter = new Tally.Counter();
  /** Elements still expected by each open array: Netty leaves reply boundaries to aggregators. */
  private final long[] remaining = new long[64];
  private int depth;

  /** @param walk count replies and elements (for the sanity check; slower) */
  NettyRaw(Feed feed, boolean walk) {
    this.feed = feed;
    this.walk = walk;
  }

  private int decode(ByteBuf in) {
    decoder.decode(in, out);
    int n = out.size();
    for (int i = 0; i < n; i++) {
      Object msg = out.get(i);
      if (walk) {
        count(msg);
      }
      ReferenceCountUtil.release(msg);
    }
    out.clear();
    return n;
  }

  private void count(Object msg) {
    if (msg instanceof ArrayHeaderRedisMessage h) {
      if (h.isNull()) {
        counter.leaves++; // *-1 is a null, as our parser reports it
      } else {
        counter.aggregates++;
        if (h.length() > 0) {
          remaining[depth++] = h.length();
          return;
        }
      }
    } else if (msg instanceof BulkStringRedisContent c) {
      counter.payloadBytes += c.content().readableBytes();
      if (!(msg instanceof LastBulkStringRedisContent)) {
        return;
      }
      counter.leaves++;
    } else if (msg instanceof BulkStringHeaderRedisMessage) {
      return;
    } else {
      counter.leaves++;
      if (msg instanceof AbstractStringRedisMessage text) {
        counter.payloadBytes += text.content().length();
      }
    }
    while (depth > 0 && --remaining[depth - 1] == 0) {
      depth--;
    }
    if (depth == 0) {
      counter.replies++;
    }
  }

  @Override
  public long decodeAll() {
    return loop.readAll(feed);
  }

  @Override
  public Tally tally() {
    return counter.snapshot();
  }

  @Override
  public void close() {
    loop.close();
  }
}
