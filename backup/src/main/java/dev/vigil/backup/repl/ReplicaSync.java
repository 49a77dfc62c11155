package dev.vigil.backup.repl;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.codec.RespEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes an RDB from a node the way a replica does: AUTH, {@code REPLCONF listening-port},
 * {@code REPLCONF capa eof capa psync2}, {@code REPLCONF rdb-only 1} (so the master forgets this
 * "replica" once the RDB is sent; older servers refuse it, which is fine), {@code PSYNC ? -1}; then
 * the RDB as a stream. The commands go through the codec's RESP encoder; what comes back is read
 * raw by {@link ReplicationStreamHandler}, because the RDB is not a RESP value.
 */
public final class ReplicaSync implements AutoCloseable {
  /**
   * Bytes buffered between the network and the uploader before reading pauses. The node's socket
   * buffers hold more behind it, and a pause costs no throughput as long as the uploader drains
   * faster than the node sends (a 4 MiB pipe made no difference but 2 MiB of peak RSS).
   */
  static final long HIGH_WATER = 2L << 20;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final NodeEndpoint node;
  private Channel channel;
  private PayloadPipe pipe;
  private ReplicationStreamHandler handler;

  public ReplicaSync(NodeEndpoint node) {
    this.node = node;
  }

  /**
   * Connects, sends the handshake and waits for the payload to start. Returns what the node said;
   * the RDB's bytes are then read from {@link #payload()}.
   */
  public SyncStart start() throws IOException {
    pipe = new PayloadPipe(HIGH_WATER, node.idleTimeout().toMillis());
    List<ReplicationStreamHandler.Expected> expected = new ArrayList<>();
    List<RespCommand> commands = new ArrayList<>();
    if (node.password() != null) {
      commands.add(node.user() == null ? RespCommand.of("AUTH", node.password())
          : RespCommand.of("AUTH", node.user(), node.password()));
      expected.add(new ReplicationStreamHandler.Expected("AUTH", false));
    }
    // listening-port 0: this is no replica anyone should connect to (daemons list replicas from
    // INFO), and the master shows it with port 0 for the moment it is there.
    commands.add(RespCommand.of("REPLCONF", "listening-port", "0"));
    expected.add(new ReplicationStreamHandler.Expected("REPLCONF listening-port", false));
    commands.add(RespCommand.of("REPLCONF", "capa", "eof", "capa", "psync2"));
    expected.add(new ReplicationStreamHandler.Expected("REPLCONF capa", false));
    commands.add(RespCommand.of("REPLCONF", "rdb-only", "1"));
    expected.add(new ReplicationStreamHandler.Expected("REPLCONF rdb-only", true));
    RespCommand psync = RespCommand.of("PSYNC", "?", "-1");
    handler = new ReplicationStreamHandler(expected, psync, pipe);

    Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) node.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (node.ssl() != null) {
              ch.pipeline().addLast(node.ssl().newHandler(ch.alloc(), node.host(), node.port()));
            }
            ch.pipeline().addLast(RespEncoder.INSTANCE, handler);
          }
        });
    ChannelFuture connecting = b.connect(node.host(), node.port());
    try {
      connecting.await(node.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to " + node.address());
    }
    if (!connecting.isSuccess()) {
      Throwable cause = connecting.cause();
      throw new IOException("cannot connect to " + node.address() + ": "
          + (cause == null ? "timed out" : LinkError.describe(cause)), cause);
    }
    channel = connecting.channel();
    pipe.valve(on -> channel.config().setAutoRead(on));
    // Pipelined; the handler sends PSYNC when their replies are in.
    for (RespCommand c : commands) {
      channel.write(c);
    }
    channel.flush();
    return awaitStart();
  }

  /** Waits for {@code $...}; keep-alive newlines from a master still saving count as progress. */
  private SyncStart awaitStart() throws IOException {
    long idle = node.idleTimeout().toNanos();
    while (true) {
      long silentFor = System.nanoTime() - handler.lastActivityNanos();
      long left = idle - silentFor;
      if (left <= 0) {
        throw new IOException("no answer from " + node.address() + " for "
            + node.idleTimeout().toSeconds() + " s while waiting for the RDB to start");
      }
      try {
        return handler.start().get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException stillWaiting) {
        // loop: re-check the silence
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw new IOException(node.address() + ": " + LinkError.describe(cause), cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the RDB");
      }
    }
  }

  /** The RDB's bytes (end of stream at its end); fails if the link breaks before. */
  public InputStream payload() {
    return pipe;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    if (pipe != null) {
      pipe.close(); // after the event loop has stopped offering: releases what is left
    }
  }
}
