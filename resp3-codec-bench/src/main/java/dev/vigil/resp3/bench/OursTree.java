package dev.vigil.resp3.bench;

import dev.vigil.resp3.codec.RespDecoder;
import dev.vigil.resp3.codec.RespLimits;
import dev.vigil.resp3.codec.RespParser;
import dev.vigil.resp3.codec.RespValueBuilder;
import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.Attributed;
import dev.vigil.resp3.value.BulkError;
import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespSet;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleError;
import dev.vigil.resp3.value.SimpleString;
import dev.vigil.resp3.value.VerbatimString;
import io.netty.buffer.ByteBuf;

/**
 * RespParser into RespValueBuilder: full value trees, each released as soon as it is complete (as
 * a handler that consumed it would). Payloads of at least {@link #SLICE_THRESHOLD} bytes are
 * zero-copy retained slices, smaller ones are copied: slicing only pays for large payloads.
 */
final class OursTree implements Contender {
  static final int SLICE_THRESHOLD = 1024;

  private final Feed feed;
  private final RespParser parser = new RespParser(RespLimits.DEFAULT, false);
  private final RespValueBuilder builder;
  private final NettyReadLoop loop = new NettyReadLoop(this::decode);
  private final Tally.Counter counter = new Tally.Counter();

  /** @param walk count every element of each tree (for the sanity check; slower) */
  OursTree(Feed feed, boolean walk) {
    this.feed = feed;
    this.builder =
        new RespValueBuilder(
            PayloadMode.RETAINED_SLICE, SLICE_THRESHOLD, walk ? this::walkAndRelease : this::release);
  }

  private int decode(ByteBuf in) {
    long before = counter.replies;
    parser.parse(in, builder);
    RespDecoder.makeRoomForPayload(parser, in);
    return (int) (counter.replies - before);
  }

  private void release(RespValue v) {
    counter.replies++;
    v.release();
  }

  private void walkAndRelease(RespValue v) {
    walk(v);
    release(v);
  }

  private void walk(RespValue v) {
    if (v instanceof RespArray a) {
      counter.aggregates++;
      a.elements().forEach(this::walk);
    } else if (v instanceof Push p) {
      counter.aggregates++;
      p.elements().forEach(this::walk);
    } else if (v instanceof RespSet s) {
      counter.aggregates++;
      s.elements().forEach(this::walk);
    } else if (v instanceof RespMap m) {
      counter.aggregates++;
      for (RespMap.Entry e : m.entries()) {
        walk(e.key());
        walk(e.value());
      }
    } else if (v instanceof Attributed a) {
      walk(a.value());
    } else {
      counter.leaves++;
      if (v instanceof SimpleString t) {
        counter.payloadBytes += t.unsafeBytes().length;
      } else if (v instanceof SimpleError e) {
        counter.payloadBytes += e.unsafeBytes().length;
      } else if (v instanceof BulkString b) {
        counter.payloadBytes += b.length();
      } else if (v instanceof VerbatimString t) {
        counter.payloadBytes += t.content().readableBytes();
      } else if (v instanceof BulkError e) {
        counter.payloadBytes += e.content().readableBytes();
      }
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
    builder.reset();
  }
}
