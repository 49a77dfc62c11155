package dev.vigil.backup.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a thread of its own into a fixed set of buffers, so that receiving (a
 * restore's download) overlaps with what the caller does with the bytes (hashing, writing).
 * Memory: {@code buffers × size} whatever the stream's length. Not thread-safe on the consumer
 * side: one thread calls {@link #next} and {@link #release}.
 */
final class ReadAhead implements AutoCloseable {
  /** {@code length} bytes of {@code data}; give it back with {@link #release}. */
  record Chunk(byte[] data, int length) {}

  private static final Object END = new Object();

  private final BlockingQueue<Object> filled;
  private final BlockingQueue<byte[]> free;
  private final Thread reader;

  ReadAhead(InputStream in, int buffers, int size, String name) {
    filled = new ArrayBlockingQueue<>(buffers + 1);
    free = new ArrayBlockingQueue<>(buffers);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[size]);
    }
    reader = new Thread(() -> read(in), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(InputStream in) {
    try {
      while (true) {
        byte[] buf = free.take();
        int n = 0;
        int r = 0;
        while (n < buf.length && (r = in.read(buf, n, buf.length - n)) >= 0) {
          n += r;
        }
        if (n > 0) {
          filled.put(new Chunk(buf, n));
        }
        if (r < 0) {
          filled.put(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the consumer
    } catch (IOException | RuntimeException e) {
      // The queue has room: at most `buffers` chunks are ever in it, plus this.
      filled.offer(e);
    }
  }

  /** The next chunk, or null at the end of the stream; the reader's failure is thrown here. */
  Chunk next() throws IOException {
    Object o;
    try {
      o = filled.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading ahead");
    }
    if (o == END) {
      filled.add(END); // later calls see the end too
      return null;
    }
    if (o instanceof IOException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (o instanceof RuntimeException e) {
      throw e;
    }
    return (Chunk) o;
  }

  void release(Chunk c) {
    free.add(c.data());
  }

  /**
   * Stops the reader. One blocked in the stream's {@code read} stops only when the stream is
   * closed or aborted, which the caller does after this.
   */
  @Override
  public void close() {
    reader.interrupt();
  }
}
