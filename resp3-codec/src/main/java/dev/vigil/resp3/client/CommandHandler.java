package dev.vigil.resp3.client;

import dev.vigil.resp3.value.Attributed;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespValue;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches replies to commands in FIFO order and routes out-of-band messages to the push sink.
 *
 * <p>A push is never taken for a reply: RESP3 marks pushes by type at the top level, and in RESP2
 * the pub/sub arrays are recognised only while the connection is subscribed (the only state in
 * which the server sends them). Pub/sub commands complete on their confirmations, which RESP3
 * delivers as pushes. When the connection goes, every waiting command fails at once.
 */
final class CommandHandler extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

  private final ArrayDeque<PendingCommand> queue = new ArrayDeque<>();
  private final PubSubState pubSub;
  private final PushSink pushSink;
  private final String address;
  private volatile int protocol = 2;
  private Throwable failure;
  private java.util.concurrent.ScheduledFuture<?> timeoutCheck;
  private long checkAtNanos;

  /** Receives pushes (and RESP2 pub/sub messages converted to pushes) on the event loop. */
  interface PushSink {
    void push(Push push);
  }

  CommandHandler(PubSubState pubSub, PushSink pushSink, String address) {
    this.pubSub = pubSub;
    this.pushSink = pushSink;
    this.address = address;
  }

  void protocol(int version) {
    this.protocol = version;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof PendingCommand p)) {
      ctx.write(msg, promise);
      return;
    }
    if (p.pubSubKind != null) {
      int args = p.command.args().size() - 1;
      p.confirmations = args > 0 ? args : pubSub.confirmationsForAll(p.pubSubKind);
    }
    queue.add(p);
    if (p.timeoutMillis > 0) {
      p.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.timeoutMillis);
      if (timeoutCheck == null || p.deadlineNanos - checkAtNanos < 0) {
        scheduleTimeoutCheck(ctx, p.deadlineNanos);
      }
    }
    ctx.write(p.command, promise).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        // Never sent, so no reply will come for it: keep the FIFO aligned.
        queue.remove(p);
        p.fail(new RespConnectionException("could not send " + p.command.name() + " to " + address,
            f.cause()));
      }
    });
  }

  /**
   * One timer per connection, at the earliest deadline of a command still waiting, rather than
   * one scheduled and cancelled per command: a daemon watching 500 groups sends some 3,000
   * commands a second, and each timer was a task in the loop's scheduled queue and its removal.
   * A check that finds nothing waiting leaves no timer behind; the next command sets one.
   */
  private void scheduleTimeoutCheck(ChannelHandlerContext ctx, long atNanos) {
    if (timeoutCheck != null) {
      timeoutCheck.cancel(false);
    }
    checkAtNanos = atNanos;
    timeoutCheck = ctx.executor().schedule(() -> checkTimeouts(ctx),
        Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void checkTimeouts(ChannelHandlerContext ctx) {
    timeoutCheck = null;
    long now = System.nanoTime();
    long next = 0;
    boolean waiting = false;
    java.util.List<PendingCommand> expired = null;
    // A command that timed out stays queued: its reply, if it ever comes, keeps the FIFO aligned.
    for (PendingCommand p : queue) {
      if (p.timeoutMillis <= 0 || p.future.isDone()) {
        continue;
      }
      if (p.deadlineNanos - now <= 0) {
        if (expired == null) {
          expired = new java.util.ArrayList<>();
        }
        expired.add(p);
      } else if (!waiting || p.deadlineNanos - next < 0) {
        waiting = true;
        next = p.deadlineNanos;
      }
    }
    if (waiting) {
      scheduleTimeoutCheck(ctx, next);
    }
    if (expired != null) {
      // Failed after the walk: their callbacks may send on this connection, adding to the queue.
      for (PendingCommand p : expired) {
        p.fail(new RespTimeoutException(
            p.command.name() + " to " + address + " timed out after " + p.timeoutMillis + " ms"));
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    RespValue value = (RespValue) msg;
    RespValue bare = value instanceof Attributed a ? a.unwrap() : value;
    if (bare instanceof Push push) {
      onPush(push);
      return;
    }
    if (protocol == 2 && bare instanceof RespArray array && isResp2PubSub(array)) {
      onPush(new Push(array.elements()));
      return;
    }
    PendingCommand head = queue.poll();
    if (head == null) {
      failure = new RespConnectionException("reply without a command from " + address + ": " + bare);
      ctx.close();
      return;
    }
    if (bare.isError()) {
      head.fail(new RespServerException(bare));
    } else {
      head.complete(value);
    }
  }

  private boolean isResp2PubSub(RespArray array) {
    if (array.size() < 3 || !Resp.isText(array.get(0))) {
      return false;
    }
    PendingCommand head = queue.peek();
    if (pubSub.isEmpty() && (head == null || head.pubSubKind == null)) {
      return false;
    }
    String kind = Resp.text(array.get(0)).toLowerCase(Locale.ROOT);
    return PubSubState.isMessage(kind) || PubSubState.isConfirmation(kind);
  }

  private void onPush(Push push) {
    String kind = push.kind();
    if (PubSubState.isConfirmation(kind)) {
      RespValue name = push.size() > 1 ? push.get(1) : null;
      if (name != null && !name.isNull()) {
        pubSub.confirm(kind, Resp.text(name));
      }
      PendingCommand head = queue.peek();
      if (head != null && kind.equals(head.pubSubKind)) {
        if (--head.confirmations <= 0) {
          queue.poll();
          head.complete(push);
        }
        return;
      }
    }
    pushSink.push(push);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    String reason = "connection to " + address + " lost";
    if (failure != null) {
      reason += ": " + failure.getMessage();
    }
    PendingCommand p;
    while ((p = queue.poll()) != null) {
      p.fail(new RespConnectionException(reason, failure));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    log.debug("closing connection to {}: {}", address, cause.toString());
    ctx.close();
  }
}
