package dev.vigil.resp3.bench;

import io.netty.buffer.ByteBuf;

/**
 * How Lettuce's CommandHandler feeds its RedisStateMachine: every read is copied into one 64 KiB
 * {@code readBuffer}, then decode is called until it reports an incomplete reply, and the default
 * {@code DecodeBufferPolicies.ratio(3)} discards read bytes once 3/4 of the capacity is read.
 */
final class LettuceReadLoop implements AutoCloseable {
  /** One RedisStateMachine.decode call: true when a reply completed. */
  interface Decoder {
    boolean decode(ByteBuf buffer);
  }

  private static final float DISCARD_RATIO = 3f / (3 + 1);

  private final Decoder decoder;
  private final ByteBuf readBuffer = Feed.ALLOC.buffer(64 * 1024);

  LettuceReadLoop(Decoder decoder) {
    this.decoder = decoder;
  }

  /** Decodes a whole input in place (as Lettuce's own benchmark does), or each fragment as a read. */
  long readAll(Feed feed) {
    if (feed.isWhole()) {
      return decode(feed.whole(), false);
    }
    long replies = 0;
    for (int i = 0, n = feed.fragmentCount(); i < n; i++) {
      ByteBuf input = feed.receive(i);
      readBuffer.writeBytes(input);
      input.release();
      replies += decode(readBuffer, true);
    }
    return replies;
  }

  /** @param ownBuffer the policy applies to the readBuffer only, never to a shared input */
  private long decode(ByteBuf buffer, boolean ownBuffer) {
    long replies = 0;
    while (buffer.isReadable()) {
      if (!decoder.decode(buffer)) {
        break;
      }
      replies++;
      discardReadBytesIfNecessary(buffer, ownBuffer);
    }
    discardReadBytesIfNecessary(buffer, ownBuffer);
    return replies;
  }

  private static void discardReadBytesIfNecessary(ByteBuf buffer, boolean ownBuffer) {
    if (ownBuffer && (float) buffer.readerIndex() / buffer.capacity() >= DISCARD_RATIO) {
      buffer.discardReadBytes();
    }
  }

  @Override
  public void close() {
    readBuffer.release();
  }
}
