package dev.vigil.resp3.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Creates {@link RespConnection}s on a shared event loop group. Many connections share few
 * threads: a daemon watching dozens of nodes needs one or two event loops, not a thread per node.
 */
public final class RespClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Transport transport;

  /** A client with its own event loop group of {@code threads} threads (the preferred transport). */
  public RespClient(int threads) {
    this(Transport.preferred(), threads);
  }

  /** A client with its own event loop group of {@code threads} threads of that transport. */
  public RespClient(Transport transport, int threads) {
    this(transport.newGroup(threads), true);
  }

  /** A client on a group the caller owns and shuts down. */
  public RespClient(EventLoopGroup group) {
    this(group, false);
  }

  private RespClient(EventLoopGroup group, boolean ownsGroup) {
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.transport = Transport.of(group);
  }

  /** A connection that has not started connecting yet: add listeners, then {@code connect()}. */
  public RespConnection newConnection(RespClientOptions options) {
    return new RespConnection(this, options);
  }

  /** Connects and greets; see {@link RespConnection#connect()}. */
  public CompletableFuture<RespConnection> connect(RespClientOptions options) {
    return newConnection(options).connect();
  }

  EventLoopGroup group() {
    return group;
  }

  Bootstrap bootstrap() {
    return new Bootstrap().group(group).channel(transport.socketChannel());
  }

  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
