package dev.vigil.resp3.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * One input in pooled direct buffers: the allocator and buffer kind Netty's socket reads use, the
 * same for every contender.
 */
final class Feed implements AutoCloseable {
  static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  private final ByteBuf[] fragments;
  private final int length;

  /** @param fragmentSize bytes per buffer; 0 keeps the input whole in one buffer */
  Feed(byte[] wire, int fragmentSize) {
    int size = fragmentSize == 0 ? wire.length : fragmentSize;
    int count = (wire.length + size - 1) / size;
    fragments = new ByteBuf[count];
    for (int i = 0; i < count; i++) {
      int from = i * size;
      int n = Math.min(size, wire.length - from);
      fragments[i] = ALLOC.directBuffer(n, n).writeBytes(wire, from, n);
    }
    length = wire.length;
  }

  boolean isWhole() {
    return fragments.length == 1;
  }

  int fragmentCount() {
    return fragments.length;
  }

  int length() {
    return length;
  }

  /** The whole input, rewound: decoded in place, as Lettuce's own benchmark does. */
  ByteBuf whole() {
    ByteBuf b = fragments[0];
    b.readerIndex(0);
    return b;
  }

  /**
   * Fragment {@code i} as a socket read hands it over: a buffer object the receiver owns and
   * releases. A retained slice costs no copy, and its fixed capacity means a cumulator must copy
   * rather than write into the shared fragment.
   */
  ByteBuf receive(int i) {
    return fragments[i].retainedSlice();
  }

  /** Fragment {@code i} itself, for the rooflines (they neither keep nor release it). */
  ByteBuf fragment(int i) {
    return fragments[i];
  }

  @Override
  public void close() {
    for (ByteBuf b : fragments) {
      b.release();
    }
  }
}
