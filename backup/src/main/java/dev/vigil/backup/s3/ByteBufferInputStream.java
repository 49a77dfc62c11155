package dev.vigil.backup.s3;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** Reads a buffer's remaining bytes, moving its position; the buffer is the caller's copy. */
final class ByteBufferInputStream extends InputStream {
  private final ByteBuffer buf;

  ByteBufferInputStream(ByteBuffer buf) {
    this.buf = buf;
  }

  @Override
  public int read() {
    return buf.hasRemaining() ? buf.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining()) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) {
    int k = (int) Math.max(0, Math.min(n, buf.remaining()));
    buf.position(buf.position() + k);
    return k;
  }

  @Override
  public int available() {
    return buf.remaining();
  }
}
