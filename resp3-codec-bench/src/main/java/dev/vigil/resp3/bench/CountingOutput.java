package dev.vigil.resp3.bench;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;

/**
 * Lettuce's cheapest output: counts what RedisStateMachine reports, allocates nothing (like the
 * no-op output of Lettuce's own RedisStateMachineBenchmark). Every setter is overridden because
 * the defaults throw or, for errors, build a String.
 */
final class CountingOutput extends CommandOutput<byte[], byte[], Void> {
  final Tally.Counter counter = new Tally.Counter();

  CountingOutput() {
    super(ByteArrayCodec.INSTANCE, null);
  }

  @Override
  public void set(ByteBuffer bytes) {
    counter.leaves++;
    if (bytes != null) {
      counter.payloadBytes += bytes.remaining();
    }
  }

  @Override
  public void setSingle(ByteBuffer bytes) {
    counter.leaves++;
    counter.payloadBytes += bytes.remaining();
  }

  @Override
  public void setBigNumber(ByteBuffer bytes) {
    counter.leaves++;
  }

  @Override
  public void set(long integer) {
    counter.leaves++;
  }

  @Override
  public void set(double number) {
    counter.leaves++;
  }

  @Override
  public void set(boolean value) {
    counter.leaves++;
  }

  @Override
  public void setError(ByteBuffer error) {
    counter.leaves++;
    if (error != null) {
      counter.payloadBytes += error.remaining();
    }
  }

  @Override
  public void multi(int count) {
    counter.aggregates++;
  }

  @Override
  public void complete(int depth) {}
}
