package dev.vigil.resp3.bench;

import io.lettuce.core.protocol.RedisStateMachine;

/** RedisStateMachine into a counting output, fed as Lettuce's CommandHandler feeds it. */
final class LettuceNoop implements Contender {
  private final Feed feed;
  private final RedisStateMachine rsm = new RedisStateMachine();
  private final CountingOutput output = new CountingOutput();
  private final LettuceReadLoop loop;

  LettuceNoop(Feed feed) {
    this.feed = feed;
    this.loop = new LettuceReadLoop(this::decodeReply);
  }

  private boolean decodeReply(io.netty.buffer.ByteBuf buffer) {
    if (rsm.decode(buffer, output)) {
      output.counter.replies++;
      return true;
    }
    return false;
  }

  @Override
  public long decodeAll() {
    return loop.readAll(feed);
  }

  @Override
  public Tally tally() {
    return output.counter.snapshot();
  }

  @Override
  public void close() {
    loop.close();
    rsm.close();
  }
}
