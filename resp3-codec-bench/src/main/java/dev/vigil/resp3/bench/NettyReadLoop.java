package dev.vigil.resp3.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How a Netty pipeline drives a ByteToMessageDecoder (4.2's channelRead, callDecode and
 * channelReadComplete, minus the pipeline): MERGE_CUMULATOR, a cumulation released once fully
 * read, discardSomeReadBytes every 16 reads. Our parser and Netty's RedisDecoder both run through
 * it, so they pay the same cumulation costs they would in a channel.
 */
final class NettyReadLoop implements AutoCloseable {
  /** One decode() call: reads what it can from {@code in}, returns how many messages it emitted. */
  interface Decoder {
    int decode(ByteBuf in);
  }

  private static final int DISCARD_AFTER_READS = 16;
  /** Epoll's default maxMessagesPerRead: channelReadComplete follows at most this many reads. */
  private static final int READS_PER_LOOP = 16;

  private final Decoder decoder;
  private ByteBuf cumulation;
  private boolean first;
  private int numReads;

  NettyReadLoop(Decoder decoder) {
    this.decoder = decoder;
  }

  /** Feeds a whole input (in place) or each fragment as one read; returns messages emitted. */
  long readAll(Feed feed) {
    if (feed.isWhole()) {
      return callDecode(feed.whole());
    }
    long messages = 0;
    int n = feed.fragmentCount();
    for (int i = 0; i < n; i++) {
      messages += channelRead(feed.receive(i));
      if (i % READS_PER_LOOP == READS_PER_LOOP - 1 || i == n - 1) {
        channelReadComplete();
      }
    }
    return messages;
  }

  private long channelRead(ByteBuf msg) {
    first = cumulation == null;
    cumulation =
        ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
            Feed.ALLOC, first ? Unpooled.EMPTY_BUFFER : cumulation, msg);
    long messages = callDecode(cumulation);
    if (!cumulation.isReadable()) {
      numReads = 0;
      cumulation.release();
      cumulation = null;
    } else if (++numReads >= DISCARD_AFTER_READS) {
      numReads = 0;
      discardSomeReadBytes();
    }
    return messages;
  }

  private void channelReadComplete() {
    numReads = 0;
    discardSomeReadBytes();
  }

  private void discardSomeReadBytes() {
    if (cumulation != null && !first && cumulation.refCnt() == 1) {
      cumulation.discardSomeReadBytes();
    }
  }

  /** Decodes while the decoder makes progress, as callDecode does. */
  private long callDecode(ByteBuf in) {
    long messages = 0;
    while (in.isReadable()) {
      int before = in.readableBytes();
      int emitted = decoder.decode(in);
      messages += emitted;
      if (before == in.readableBytes()) {
        if (emitted != 0) {
          throw new IllegalStateException("decoder emitted a message without reading input");
        }
        break;
      }
    }
    return messages;
  }

  @Override
  public void close() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
