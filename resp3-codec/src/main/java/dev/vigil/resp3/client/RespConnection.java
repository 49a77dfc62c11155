package dev.vigil.resp3.client;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.codec.RespDecoder;
import dev.vigil.resp3.codec.RespEncoder;
import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical connection to a server: greets it ({@code HELLO 3} with AUTH and SETNAME, or RESP2
 * {@code AUTH} when the server has no HELLO), pipelines commands, delivers pushes, and with a
 * {@link ReconnectPolicy} re-establishes itself (and its subscriptions) when the link drops.
 *
 * <p>Commands sent while the link is down fail at once with {@link RespConnectionException}
 * rather than queueing: a caller probing health (a PING) must learn of the outage now, not when the
 * server returns. Thread-safe; replies complete futures on the event loop, so callbacks must not
 * block.
 */
public final class RespConnection implements ValkeyCommands, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RespConnection.class);

  private final RespClient client;
  private final RespClientOptions options;
  private final PubSubState pubSub = new PubSubState();
  private final List<Consumer<Push>> pushListeners = new CopyOnWriteArrayList<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<RespConnection> firstConnect = new CompletableFuture<>();
  private final Object lock = new Object();

  private volatile Channel channel;
  private volatile boolean closed;
  private volatile int protocol;
  private volatile RespMap hello;
  private boolean started;
  private int attempt;

  RespConnection(RespClient client, RespClientOptions options) {
    this.client = client;
    this.options = options;
  }

  public RespClientOptions options() {
    return options;
  }

  /**
   * Starts connecting. The future completes once the connection is up and greeted. Without a
   * reconnect policy it fails with the first failure; with one, failed attempts are retried with
   * backoff and the future completes at the first success (or fails when the connection is
   * closed first).
   */
  public CompletableFuture<RespConnection> connect() {
    synchronized (lock) {
      if (!started) {
        started = true;
        attemptConnect();
      }
    }
    return firstConnect;
  }

  /** Adds a listener for pushes: pub/sub messages, invalidations, other out-of-band data. */
  public RespConnection onPush(Consumer<Push> listener) {
    pushListeners.add(listener);
    return this;
  }

  public RespConnection addListener(ConnectionListener listener) {
    listeners.add(listener);
    return this;
  }

  /** True while the link is up and greeted. */
  public boolean isConnected() {
    Channel ch = channel;
    return ch != null && ch.isActive();
  }

  /** The local address of the current link (what the server sees us as), or null when down. */
  public java.net.InetSocketAddress localAddress() {
    Channel ch = channel;
    return ch == null ? null : (java.net.InetSocketAddress) ch.localAddress();
  }

  /** The protocol in use: 3 after a successful {@code HELLO 3}, else 2; 0 before connecting. */
  public int protocol() {
    return protocol;
  }

  /** The server's answer to {@code HELLO} (server, version, proto, id, mode, role), or null. */
  public RespMap hello() {
    return hello;
  }

  @Override
  public CompletableFuture<RespValue> send(RespCommand command) {
    Channel ch = channel;
    if (ch == null) {
      return CompletableFuture.failedFuture(new RespConnectionException(
          (closed ? "connection closed: " : "not connected to ") + options.address()));
    }
    return sendOn(ch, command, options.commandTimeout().toMillis());
  }

  @Override
  public CompletableFuture<RespValue> send(Object... args) {
    return send(RespCommand.of(args));
  }

  @Override
  public void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
    firstConnect.completeExceptionally(new RespConnectionException("connection closed"));
  }

  /** Closes without waiting; the returned future completes when the channel is closed. */
  public CompletableFuture<Void> closeAsync() {
    closed = true;
    firstConnect.completeExceptionally(new RespConnectionException("connection closed"));
    Channel ch = channel;
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (ch == null) {
      done.complete(null);
    } else {
      ch.close().addListener(f -> done.complete(null));
    }
    return done;
  }

  private void attemptConnect() {
    if (closed) {
      return;
    }
    CommandHandler handler = new CommandHandler(pubSub, this::deliver, options.address());
    Bootstrap bootstrap = client.bootstrap()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            if (options.ssl() != null) {
              p.addLast(options.ssl().newHandler(ch.alloc(), options.host(), options.port()));
            }
            p.addLast(new FlushConsolidationHandler(256, true));
            p.addLast(new RespDecoder(options.limits(), false, PayloadMode.COPY, 0));
            p.addLast(RespEncoder.INSTANCE);
            p.addLast(handler);
          }
        });
    ChannelFuture connecting = bootstrap.connect(options.host(), options.port());
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        attemptFailed(new RespConnectionException(
            "cannot connect to " + options.address() + ": " + f.cause().getMessage(), f.cause()));
        return;
      }
      Channel ch = connecting.channel();
      SslHandler tls = ch.pipeline().get(SslHandler.class);
      if (tls == null) {
        greetThenEstablish(ch, handler);
        return;
      }
      // Greet only once the handshake is done, so that a refused handshake is reported as
      // such (its cause says why) rather than as a greeting lost to a closed channel.
      tls.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          greetThenEstablish(ch, handler);
        } else {
          ch.close();
          attemptFailed(new RespConnectionException("TLS handshake with " + options.address()
              + " failed: " + h.cause().getMessage(), h.cause()));
        }
      });
    });
  }

  private void greetThenEstablish(Channel ch, CommandHandler handler) {
    greet(ch, handler).whenComplete((ignored, error) -> {
      if (error != null) {
        ch.close();
        attemptFailed(unwrap(error));
      } else {
        established(ch);
      }
    });
  }

  private void established(Channel ch) {
    synchronized (lock) {
      if (closed) {
        ch.close();
        return;
      }
      channel = ch;
      attempt = 0;
    }
    ch.closeFuture().addListener(f -> lost(ch));
    restoreSubscriptions(ch);
    log.debug("connected to {} (RESP{})", options.address(), protocol);
    listeners.forEach(l -> l.connected(this));
    firstConnect.complete(this);
  }

  private void attemptFailed(Throwable cause) {
    log.debug("connection attempt to {} failed: {}", options.address(), cause.getMessage());
    listeners.forEach(l -> l.attemptFailed(this, cause));
    if (options.reconnect() == null || closed || isFatal(cause)) {
      firstConnect.completeExceptionally(cause);
      return;
    }
    scheduleReconnect();
  }

  /** Wrong credentials will not fix themselves by retrying a first connect. */
  private boolean isFatal(Throwable cause) {
    return !firstConnect.isDone() && cause instanceof RespServerException;
  }

  private void lost(Channel ch) {
    synchronized (lock) {
      if (channel != ch) {
        return;
      }
      channel = null;
    }
    RespConnectionException cause =
        new RespConnectionException("connection to " + options.address() + " lost");
    listeners.forEach(l -> l.disconnected(this, cause));
    if (options.reconnect() != null && !closed) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    long delay;
    synchronized (lock) {
      delay = options.reconnect().delayMillis(attempt++);
    }
    if (client.group().isShuttingDown()) {
      return; // the client is closing: its channels are lost on purpose
    }
    try {
      client.group().schedule(this::attemptConnect, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // shut down between the check and the call
    }
  }

  private CompletableFuture<Void> greet(Channel ch, CommandHandler handler) {
    long timeout = Math.max(options.connectTimeout().toMillis(), options.commandTimeout().toMillis());
    if (!options.resp3()) {
      return greetResp2(ch, handler, timeout);
    }
    List<Object> hello = new ArrayList<>(List.of("HELLO", "3"));
    if (options.password() != null) {
      hello.addAll(List.of("AUTH", options.user() == null ? "default" : options.user(),
          options.password()));
    }
    if (options.clientName() != null) {
      hello.addAll(List.of("SETNAME", options.clientName()));
    }
    return sendOn(ch, new RespCommand(hello), timeout).handle((reply, error) -> {
      if (error == null) {
        this.hello = Resp.asMap(reply);
        this.protocol = 3;
        handler.protocol(3);
        return CompletableFuture.<Void>completedFuture(null);
      }
      Throwable cause = unwrap(error);
      if (cause instanceof RespServerException e && helloUnsupported(e)) {
        log.debug("{} has no RESP3 ({}); falling back to RESP2", options.address(), e.getMessage());
        return greetResp2(ch, handler, timeout);
      }
      return CompletableFuture.<Void>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private static boolean helloUnsupported(RespServerException e) {
    return e.code().equals("NOPROTO") || e.getMessage().toLowerCase().contains("unknown command");
  }

  private CompletableFuture<Void> greetResp2(Channel ch, CommandHandler handler, long timeout) {
    this.protocol = 2;
    handler.protocol(2);
    CompletableFuture<RespValue> auth = CompletableFuture.completedFuture(null);
    if (options.password() != null) {
      RespCommand cmd = options.user() == null
          ? RespCommand.of("AUTH", options.password())
          : RespCommand.of("AUTH", options.user(), options.password());
      auth = sendOn(ch, cmd, timeout);
    }
    CompletableFuture<RespValue> name = CompletableFuture.completedFuture(null);
    if (options.clientName() != null) {
      name = sendOn(ch, RespCommand.of("CLIENT", "SETNAME", options.clientName()), timeout);
    }
    return CompletableFuture.allOf(auth, name);
  }

  private void restoreSubscriptions(Channel ch) {
    List<Object> channels = new ArrayList<>(pubSub.channels());
    List<Object> patterns = new ArrayList<>(pubSub.patterns());
    long timeout = options.commandTimeout().toMillis();
    if (!channels.isEmpty()) {
      channels.add(0, "SUBSCRIBE");
      sendOn(ch, new RespCommand(channels), timeout).exceptionally(e -> logRestoreFailure(e));
    }
    if (!patterns.isEmpty()) {
      patterns.add(0, "PSUBSCRIBE");
      sendOn(ch, new RespCommand(patterns), timeout).exceptionally(e -> logRestoreFailure(e));
    }
  }

  private RespValue logRestoreFailure(Throwable e) {
    log.warn("could not restore subscriptions on {}: {}", options.address(), e.getMessage());
    return null;
  }

  private CompletableFuture<RespValue> sendOn(Channel ch, RespCommand command, long timeoutMillis) {
    CompletableFuture<RespValue> future = new CompletableFuture<>();
    ch.writeAndFlush(new PendingCommand(command, future, timeoutMillis));
    return future;
  }

  private void deliver(Push push) {
    for (Consumer<Push> l : pushListeners) {
      try {
        l.accept(push);
      } catch (RuntimeException e) {
        log.warn("push listener failed on {}", push, e);
      }
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String toString() {
    return "RespConnection[" + options.address() + (isConnected() ? ", up" : ", down") + "]";
  }
}
