package dev.vigil.backup.repl;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The RDB bytes from the event loop to the thread that uploads them, with back-pressure: above
 * {@code highWater} buffered bytes the channel stops reading (autoRead off), so the node's socket
 * buffer fills and it slows down; below half of it reading resumes. The socket's own (pooled)
 * buffers are handed over as they are, so the stream makes no garbage; memory is bounded by
 * {@code highWater} plus one socket read, whatever the RDB's size.
 */
final class PayloadPipe extends InputStream {
  /** Turns reading from the network off and on. */
  interface Valve {
    void reading(boolean on);
  }

  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  private final long highWater;
  private final long idleTimeoutNanos;
  private Valve valve;
  private long buffered;
  private boolean ended;
  private boolean closed;
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

  /** Takes ownership of {@code chunk} (released once read, or on failure or close). */
  synchronized void offer(ByteBuf chunk) {
    if (!chunk.isReadable() || failure != null || closed) {
      chunk.release();
      return;
    }
    chunks.add(chunk);
    buffered += chunk.readableBytes();
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
      releaseAll();
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
      if (ended || closed) {
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
      ByteBuf head = chunks.peek();
      int k = Math.min(len - n, head.readableBytes());
      head.readBytes(b, off + n, k);
      n += k;
      if (!head.isReadable()) {
        chunks.poll().release();
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

  /** Drops what is buffered; later offers are released at once. */
  @Override
  public synchronized void close() {
    closed = true;
    releaseAll();
    notifyAll();
  }

  private void releaseAll() {
    ByteBuf c;
    while ((c = chunks.poll()) != null) {
      c.release();
    }
    buffered = 0;
  }
}
