package dev.vigil.resp3.bench;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.RedisStateMachine;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * RedisStateMachine into a fresh {@code ArrayOutput<byte[], byte[]>} per reply: Lettuce's generic
 * tree (nested lists, payloads copied into {@code byte[]}, simple strings decoded to String).
 */
final class LettuceTree implements Contender {
  private final Feed feed;
  private final boolean walk;
  private final RedisStateMachine rsm = new RedisStateMachine();
  private final LettuceReadLoop loop;
  private final Tally.Counter counter = new Tally.Counter();
  private ArrayOutput<byte[], byte[]> output = newOutput();

  /** @param walk count every element of each reply (for the sanity check; slower) */
  LettuceTree(Feed feed, boolean walk) {
    this.feed = feed;
    this.walk = walk;
    this.loop = new LettuceReadLoop(this::decodeReply);
  }

  private static ArrayOutput<byte[], byte[]> newOutput() {
    return new ArrayOutput<>(ByteArrayCodec.INSTANCE);
  }

  private boolean decodeReply(ByteBuf buffer) {
    if (!rsm.decode(buffer, output)) {
      return false;
    }
    counter.replies++;
    if (walk) {
      walk(output.get());
    }
    output = newOutput();
    return true;
  }

  /**
   * Counts leaves and payload bytes. Aggregates are not countable: ArrayOutput returns a reply's
   * elements without a trace of whether the reply itself was an aggregate.
   */
  private void walk(List<Object> items) {
    for (Object o : items) {
      if (o instanceof List<?> nested) {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) nested;
        walk(list);
      } else {
        counter.leaves++;
        if (o instanceof byte[] bytes) {
          counter.payloadBytes += bytes.length;
        } else if (o instanceof String text) {
          counter.payloadBytes += text.length();
        }
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
    rsm.close();
  }
}
