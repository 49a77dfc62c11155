package dev.vigil.resp3.bench;

import dev.vigil.resp3.codec.RespDecoder;
import dev.vigil.resp3.codec.RespLimits;
import dev.vigil.resp3.codec.RespParser;

/** RespParser into a counting RespSink, driven as RespDecoder is driven by its pipeline. */
final class OursEvents implements Contender {
  private final Feed feed;
  private final RespParser parser = new RespParser(RespLimits.DEFAULT, false);
  private final CountingSink sink = new CountingSink();
  private final NettyReadLoop loop = new NettyReadLoop(this::decode);

  OursEvents(Feed feed) {
    this.feed = feed;
  }

  private int decode(io.netty.buffer.ByteBuf in) {
    long before = sink.counter.replies;
    parser.parse(in, sink);
    RespDecoder.makeRoomForPayload(parser, in);
    return (int) (sink.counter.replies - before);
  }

  @Override
  public long decodeAll() {
    return loop.readAll(feed);
  }

  @Override
  public Tally tally() {
    return sink.counter.snapshot();
  }

  @Override
  public void close() {
    loop.close();
  }
}
