package dev.vigil.backup.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The RDB bytes from the event loop to the thread that uploads them, with back-pressure: above
 * {@code highWater} buffered bytes the channel stops reading (autoRead off), so the node's socket
 * buffer fills and it slows down; below half of it reading resumes. Memory is bounded by
 * {@code highWater} plus one socket read, whatever the RDB's size.
 */
final class PayloadPipe extends InputStream {
  /** Turns reading from the network off and on. */
  interface Valve {
    void reading(boolean on);
  }

  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final long highWater;
  private final long idleTimeoutNanos;
  private Valve valve;
  private long buffered;
  private int headOffset;
  private boolean ended;
  private boolean paused;
  private IOException failure;

  PayloadPipe(long highWater, long idleTimeoutMillis) {
    this.highWater = highWater;
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
  }

  synchronized void valve(Valve v) {
    this.valve = v;
  }

  // ---- producer side (event loop) ----

  synchronized void offer(byte[] chunk) {
    if (chunk.length == 0 || failure != null) {
      return;
    }
    chunks.add(chunk);
    buffered += chunk.length;
    if (!paused && buffered >= highWater && valve != null) {
      paused = true;
      valve.reading(false);
    }
    notifyAll();
  }

  synchronized void end() {
    ended = true;
    notifyAll();
  }

  synchronized void fail(IOException cause) {
    if (!ended && failure == null) {
      failure = cause;
    }
    notifyAll();
  }

  // ---- consumer side ----

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long deadline = System.nanoTime() + idleTimeoutNanos;
    while (chunks.isEmpty()) {
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return -1;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("no RDB data from the node for "
            + TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNanos) + " s");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the RDB");
      }
    }
    int n = 0;
    while (n < len && !chunks.isEmpty()) {
      byte[] head = chunks.peek();
      int k = Math.min(len - n, head.length - headOffset);
      System.arraycopy(head, headOffset, b, off + n, k);
      n += k;
      headOffset += k;
      if (headOffset == head.length) {
        chunks.poll();
        headOffset = 0;
      }
    }
    buffered -= n;
    if (paused && buffered <= highWater / 2 && valve != null) {
      paused = false;
      valve.reading(true);
    }
    return n;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }
}
