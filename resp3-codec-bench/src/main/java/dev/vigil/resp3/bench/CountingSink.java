package dev.vigil.resp3.bench;

import dev.vigil.resp3.codec.RespSink;
import dev.vigil.resp3.value.RespNull;
import io.netty.buffer.ByteBuf;

/** Our event mode at its cheapest: counts what the parser reports, allocates nothing. */
final class CountingSink implements RespSink {
  final Tally.Counter counter = new Tally.Counter();

  @Override
  public void simpleString(ByteBuf buf, int index, int length) {
    counter.leaves++;
    counter.payloadBytes += length;
  }

  @Override
  public void simpleError(ByteBuf buf, int index, int length) {
    counter.leaves++;
    counter.payloadBytes += length;
  }

  @Override
  public void integer(long value) {
    counter.leaves++;
  }

  @Override
  public void doubleValue(ByteBuf buf, int index, int length) {
    counter.leaves++;
  }

  @Override
  public void bigNumber(ByteBuf buf, int index, int length) {
    counter.leaves++;
  }

  @Override
  public void booleanValue(boolean value) {
    counter.leaves++;
  }

  @Override
  public void nullValue(RespNull kind) {
    counter.leaves++;
  }

  @Override
  public void bulkString(ByteBuf buf, int index, int length) {
    counter.leaves++;
    counter.payloadBytes += length;
  }

  @Override
  public void bulkError(ByteBuf buf, int index, int length) {
    counter.leaves++;
    counter.payloadBytes += length;
  }

  @Override
  public void verbatimString(ByteBuf buf, int index, int length) {
    counter.leaves++;
    counter.payloadBytes += length - 4;
  }

  @Override
  public void streamedStringStart() {}

  @Override
  public void streamedStringChunk(ByteBuf buf, int index, int length) {
    counter.payloadBytes += length;
  }

  @Override
  public void streamedStringEnd() {
    counter.leaves++;
  }

  @Override
  public void aggregateStart(byte type, int count) {
    counter.aggregates++;
  }

  @Override
  public void aggregateEnd() {}

  @Override
  public void frameEnd() {
    counter.replies++;
  }
}
