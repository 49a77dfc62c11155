package dev.vigil.backup.repl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads what a master sends a new replica, as raw bytes: the replies to the handshake commands
 * (one line each), {@code +FULLRESYNC <replid> <offset>}, then the RDB as {@code $<len>\r\n} and
 * that many bytes, or (diskless) {@code $EOF:<40 bytes>\r\n}, the bytes, and the same 40 bytes.
 * {@code PSYNC} goes out only once the replies before it are in. Lone newlines are the master's
 * keep-alives while it prepares the RDB. The RDB is not a RESP value (no trailing CRLF, possibly
 * gigabytes), hence this handler instead of the RESP decoder. Pure RDB bytes go to the
 * {@link PayloadPipe} as slices of the socket's buffers; everything after them is ignored.
 */
final class ReplicationStreamHandler extends ChannelInboundHandlerAdapter {
  static final int EOF_MARK_LENGTH = 40;
  private static final int MAX_LINE = 4096;

  /** A handshake reply to wait for; an optional one may be an error (older servers). */
  record Expected(String command, boolean optional) {}

  private enum State { REPLIES, FULLRESYNC, BULK_HEADER, PAYLOAD, DONE }

  private final ArrayDeque<Expected> expected;
  private final PayloadPipe pipe;
  private final CompletableFuture<SyncStart> start = new CompletableFuture<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private volatile long lastActivityNanos = System.nanoTime();
  private State state = State.REPLIES;
  private String replid;
  private long offset;
  private long remaining;
  private byte[] eofMark;
  private MarkFinder markFinder;
  private byte[] held = new byte[0];
  private long delivered;
  private final Object sync;

  /**
   * @param expected the handshake replies to wait for
   * @param sync the command to send once they are all in ({@code PSYNC}; the server refuses it
   *     while replies to earlier commands are still pending output), or null if already sent
   * @param pipe where the RDB's bytes go
   */
  ReplicationStreamHandler(List<Expected> expected, Object sync, PayloadPipe pipe) {
    this.expected = new ArrayDeque<>(expected);
    this.sync = sync;
    this.pipe = pipe;
    if (expected.isEmpty()) {
      state = State.FULLRESYNC;
    }
  }

  /** Completes at {@code $...}: the payload is about to start. */
  CompletableFuture<SyncStart> start() {
    return start;
  }

  /** When the node last sent anything, keep-alives included. */
  long lastActivityNanos() {
    return lastActivityNanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      lastActivityNanos = System.nanoTime();
      while (buf.isReadable() && state != State.DONE) {
        if (state == State.PAYLOAD) {
          payload(ctx, buf);
        } else {
          String l = readLine(buf);
          if (l != null) {
            onLine(ctx, l);
          }
        }
      }
    } catch (IOException e) {
      failed(ctx, e);
    } finally {
      buf.release();
    }
  }

  /** One line without its CR LF, or null when the buffer ends first. */
  private String readLine(ByteBuf buf) throws IOException {
    while (buf.isReadable()) {
      byte b = buf.readByte();
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        line.reset();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("protocol error: a line longer than " + MAX_LINE + " bytes from the node");
      }
      line.write(b);
    }
    return null;
  }

  private void onLine(ChannelHandlerContext ctx, String l) throws IOException {
    if (l.isEmpty()) {
      return; // keep-alive
    }
    switch (state) {
      case REPLIES -> {
        Expected e = expected.poll();
        if (l.startsWith("-") && (e == null || !e.optional())) {
          throw new IOException((e == null ? "handshake" : e.command()) + " refused: " + l.substring(1));
        }
        if (expected.isEmpty()) {
          state = State.FULLRESYNC;
          if (sync != null) {
            ctx.writeAndFlush(sync);
          }
        }
      }
      case FULLRESYNC -> {
        if (l.startsWith("-")) {
          throw new IOException("PSYNC refused: " + l.substring(1));
        }
        String[] parts = l.split(" ");
        if (!parts[0].equals("+FULLRESYNC") || parts.length != 3) {
          throw new IOException("protocol error: expected +FULLRESYNC, got " + abbreviate(l));
        }
        replid = parts[1];
        offset = parseLong(parts[2], l);
        state = State.BULK_HEADER;
      }
      case BULK_HEADER -> {
        if (l.startsWith("-")) {
          throw new IOException("the node failed to produce the RDB: " + l.substring(1));
        }
        if (!l.startsWith("$")) {
          throw new IOException("protocol error: expected the RDB's length, got " + abbreviate(l));
        }
        if (l.startsWith("$EOF:")) {
          byte[] mark = l.substring(5).getBytes(StandardCharsets.ISO_8859_1);
          if (mark.length != EOF_MARK_LENGTH) {
            throw new IOException("protocol error: an EOF mark of " + mark.length + " bytes");
          }
          eofMark = mark;
          markFinder = new MarkFinder(mark);
          remaining = -1;
        } else {
          remaining = parseLong(l.substring(1), l);
          if (remaining < 0) {
            throw new IOException("protocol error: negative RDB length " + remaining);
          }
        }
        state = State.PAYLOAD;
        start.complete(new SyncStart(replid, offset, remaining));
        if (remaining == 0) {
          finished(ctx);
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void payload(ChannelHandlerContext ctx, ByteBuf buf) {
    if (eofMark == null) {
      int n = (int) Math.min(remaining, buf.readableBytes());
      deliver(buf.readRetainedSlice(n));
      remaining -= n;
      if (remaining == 0) {
        finished(ctx);
      }
      return;
    }
    // Diskless: the RDB ends where the 40-byte mark appears. The last 40 bytes seen are held back,
    // since they may be (the start of) the mark, until more data says otherwise.
    int end = markFinder.feed(buf);
    if (end >= 0) {
      int markStart = held.length + (end - buf.readerIndex()) + 1 - EOF_MARK_LENGTH;
      deliverLogical(buf, markStart);
      buf.skipBytes(buf.readableBytes());
      held = new byte[0];
      finished(ctx);
      return;
    }
    int total = held.length + buf.readableBytes();
    int keep = Math.min(EOF_MARK_LENGTH, total);
    byte[] newHeld = new byte[keep];
    // the new held bytes: the tail of (held + buf)
    int fromBuf = Math.min(keep, buf.readableBytes());
    int fromHeld = keep - fromBuf;
    System.arraycopy(held, held.length - fromHeld, newHeld, 0, fromHeld);
    buf.getBytes(buf.writerIndex() - fromBuf, newHeld, fromHeld, fromBuf);
    deliverLogical(buf, total - keep);
    buf.skipBytes(buf.readableBytes());
    held = newHeld;
  }

  /** Delivers the first {@code n} bytes of (held + buf), without consuming buf. */
  private void deliverLogical(ByteBuf buf, int n) {
    int fromHeld = Math.min(n, held.length);
    if (fromHeld > 0) {
      deliver(Unpooled.wrappedBuffer(held, 0, fromHeld));
    }
    int fromBuf = n - fromHeld;
    if (fromBuf > 0) {
      deliver(buf.retainedSlice(buf.readerIndex(), fromBuf));
    }
  }

  private void deliver(ByteBuf chunk) {
    delivered += chunk.readableBytes();
    pipe.offer(chunk);
  }

  private void finished(ChannelHandlerContext ctx) {
    state = State.DONE;
    pipe.end();
    ctx.close(); // a replica would now get the command stream; a backup wants nothing more
  }

  private void failed(ChannelHandlerContext ctx, IOException e) {
    state = State.DONE;
    start.completeExceptionally(e);
    pipe.fail(e);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state != State.DONE) {
      String where = state == State.PAYLOAD
          ? " after " + delivered + " bytes of the RDB"
              + (remaining > 0 ? " (" + remaining + " still to come)" : "")
          : " before the RDB started";
      failed(ctx, new IOException("the node closed the connection" + where));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failed(ctx, cause instanceof IOException io ? io
        : new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause));
  }

  private static long parseLong(String s, String l) throws IOException {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IOException("protocol error: not a number in " + abbreviate(l));
    }
  }

  private static String abbreviate(String l) {
    return l.length() > 80 ? l.substring(0, 80) + "..." : l;
  }
}
