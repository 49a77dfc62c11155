package dev.vigil.e2e.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one proxied connection. Chunks get a delivery time when read (latency, jitter,
 * bandwidth) and are written in order once due and while the direction is not cut; a close of the
 * reading side is queued like a chunk, because a FIN does not cross a partition either. Runs on
 * the connection's event loop only.
 */
final class Pipe {
  /** A queued close: the FIN that follows the bytes. */
  private static final Object CLOSE = new Object();

  private record Chunk(Object msg, long dueNanos) {}

  private final boolean toTarget;
  private final LinkFaults own;
  private final LinkFaults everyone;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private Channel from;
  private Channel to;
  private long lastDue;
  private boolean drainScheduled;

  Pipe(boolean toTarget, LinkFaults own, LinkFaults everyone) {
    this.toTarget = toTarget;
    this.own = own;
    this.everyone = everyone;
  }

  void attach(Channel from, Channel to) {
    this.from = from;
    this.to = to;
  }

  boolean cut() {
    return own.isCut(toTarget) || everyone.isCut(toTarget);
  }

  private boolean discarding() {
    return cut() && (own.mode == LinkFaults.CutMode.DISCARD
        || everyone.mode == LinkFaults.CutMode.DISCARD);
  }

  void onRead(ByteBuf buf) {
    if (discarding()) {
      buf.release();
      return;
    }
    long now = System.nanoTime();
    long due = Math.max(lastDue, now + own.delayNanos() + everyone.delayNanos());
    long rate = minPositive(own.bytesPerSecond, everyone.bytesPerSecond);
    if (rate > 0) {
      // The chunk occupies the link for size/rate after the previous one has left it.
      due += buf.readableBytes() * 1_000_000_000L / rate;
    }
    lastDue = due;
    queue.add(new Chunk(buf, due));
    drain();
  }

  void onClosed() {
    queue.add(new Chunk(CLOSE, Math.max(lastDue, System.nanoTime())));
    drain();
  }

  /** Writes what is due; called on reads, on timers and by {@link FaultProxy#changed()}. */
  void drain() {
    drainScheduled = false;
    if (to == null) {
      return;
    }
    if (cut()) {
      // Stop reading so that the sender's kernel buffer fills, as it would behind a partition.
      from.config().setAutoRead(false);
      return;
    }
    boolean wrote = false;
    long now = System.nanoTime();
    while (!queue.isEmpty()) {
      Chunk c = queue.peek();
      if (c.dueNanos() > now) {
        scheduleDrain(c.dueNanos() - now);
        break;
      }
      queue.poll();
      if (c.msg() == CLOSE) {
        to.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(f -> to.close());
        return;
      }
      to.write(c.msg());
      wrote = true;
    }
    if (wrote) {
      to.flush();
    }
    if (from.isActive() && !from.config().isAutoRead()) {
      from.config().setAutoRead(true);
    }
  }

  private void scheduleDrain(long nanos) {
    if (!drainScheduled) {
      drainScheduled = true;
      from.eventLoop().schedule(this::drain, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Releases what is still queued (the connection is gone). */
  void discard() {
    for (Chunk c : queue) {
      if (c.msg() instanceof ByteBuf b) {
        b.release();
      }
    }
    queue.clear();
  }

  private static long minPositive(long a, long b) {
    if (a <= 0) {
      return b;
    }
    return b <= 0 ? a : Math.min(a, b);
  }
}
