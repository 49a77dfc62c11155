package dev.vigil.backup.repl;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds the diskless RDB's 40-byte end mark in a stream that arrives in pieces: Knuth-Morris-Pratt,
 * with the partial match carried from one buffer to the next, one pass over each byte. (Netty's
 * {@code forEachByte} keeps it a single buffer access, which matters with the leak detector's
 * access records on.)
 */
final class MarkFinder {
  private final byte[] mark;
  private final int[] fail;
  private int matched;

  MarkFinder(byte[] mark) {
    this.mark = mark.clone();
    this.fail = new int[mark.length];
    for (int i = 1, k = 0; i < mark.length; i++) {
      while (k > 0 && mark[i] != mark[k]) {
        k = fail[k - 1];
      }
      if (mark[i] == mark[k]) {
        k++;
      }
      fail[i] = k;
    }
  }

  private final ByteProcessor step = this::step;

  private boolean step(byte value) {
    int k = matched;
    while (k > 0 && value != mark[k]) {
      k = fail[k - 1];
    }
    if (value == mark[k]) {
      k++;
    }
    if (k == mark.length) {
      matched = 0;
      return false;
    }
    matched = k;
    return true;
  }

  /**
   * Feeds the readable bytes of {@code buf} (not consuming them). Returns the index in {@code buf}
   * of the mark's last byte when the mark completes there (it may have started in earlier
   * buffers), else -1.
   */
  int feed(ByteBuf buf) {
    return buf.forEachByte(step);
  }
}
