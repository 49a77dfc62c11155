package dev.vigil.e2e.proxy;

import dev.vigil.testkit.FreePorts;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A userspace TCP proxy in front of one target (a node or a daemon) on a free loopback port, with
 * faults per source: each accepted connection is attributed to a source by {@code sources} (see
 * {@link SocketOwners}), and the {@link LinkFaults} of that source, combined with the proxy-wide
 * ones of {@link #everyone()}, apply to its traffic. Per-(source, target) links therefore need
 * one proxy per target only, which is what lets discovered addresses (INFO, hello messages) stay
 * one per node while a partition still separates daemon A from the master but not daemon B.
 */
public final class FaultProxy implements AutoCloseable {
  private final String name;
  private volatile InetSocketAddress target;
  private final Function<InetSocketAddress, String> sources;
  private final EventLoopGroup group;
  private final Map<String, LinkFaults> bySource = new ConcurrentHashMap<>();
  private final LinkFaults everyone = new LinkFaults();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Channel listener;

  private FaultProxy(String name, InetSocketAddress target,
      Function<InetSocketAddress, String> sources, EventLoopGroup group) {
    this.name = name;
    this.target = target;
    this.sources = sources;
    this.group = group;
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accept(ch);
          }
        });
    // Not port 0: a kernel-picked port comes back soon after it is closed, and a process of an
    // earlier group still reconnecting to its proxy (a daemon not yet exited, a replica) then
    // reached this group and published its old configuration into it (PartitionTest, CI).
    // FreePorts never hands a port out twice in this JVM.
    listener = b.bind("127.0.0.1", FreePorts.loopback()).syncUninterruptibly().channel();
  }

  /** A proxy listening on a 127.0.0.1 port no earlier proxy had, forwarding to {@code target}. */
  public static FaultProxy start(String name, InetSocketAddress target,
      Function<InetSocketAddress, String> sources, EventLoopGroup group) {
    return new FaultProxy(name, target, sources, group);
  }

  public String name() {
    return name;
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public InetSocketAddress target() {
    return target;
  }

  /**
   * Forwards new connections to {@code newTarget}. For a target that must know the proxy's port
   * before it starts (a daemon announcing it): start the proxy first, then pick the target's port
   * (which can no longer be the proxy's), then point the proxy at it.
   */
  public void retarget(InetSocketAddress newTarget) {
    this.target = newTarget;
  }

  /** The faults of one source's link through this proxy (created clean on first use). */
  public LinkFaults from(String source) {
    return bySource.computeIfAbsent(source, s -> new LinkFaults());
  }

  /** Faults applied to every source's link. */
  public LinkFaults everyone() {
    return everyone;
  }

  /** Every link of this proxy clean again. */
  public void healAll() {
    everyone.heal();
    bySource.values().forEach(LinkFaults::heal);
    changed();
  }

  /** Must follow a change of faults: wakes connections held by a cut that may now be healed. */
  public void changed() {
    connections.forEach(Connection::wake);
  }

  /** Resets every open connection (RST to both ends), as a middlebox dropping its state would. */
  public void resetAll() {
    connections.forEach(Connection::reset);
  }

  public int openConnections() {
    return connections.size();
  }

  /** The sources of the connections open now. */
  public Set<String> openSources() {
    Set<String> out = new java.util.TreeSet<>();
    connections.forEach(c -> out.add(c.source));
    return out;
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    resetAll();
  }

  private void accept(SocketChannel client) {
    String source = sources.apply(client.remoteAddress());
    Connection c = new Connection(client, source);
    connections.add(c);
    client.closeFuture().addListener(f -> c.clientClosed());
    client.pipeline().addLast(new Forward(c.up));
    c.connectWhenAllowed();
  }

  /** One client connection and its upstream connection to the target. */
  private final class Connection {
    final SocketChannel client;
    final String source;
    final Pipe up;
    final Pipe down;
    Channel upstream;
    boolean connecting;
    boolean closed;

    Connection(SocketChannel client, String source) {
      this.client = client;
      this.source = source;
      LinkFaults own = from(source);
      this.up = new Pipe(true, own, everyone);
      this.down = new Pipe(false, own, everyone);
    }

    /**
     * The upstream connection is made only once the link towards the target is not cut: a SYN
     * does not cross a partition. Meanwhile the client's bytes wait (reading is off).
     */
    void connectWhenAllowed() {
      client.eventLoop().execute(() -> {
        if (connecting || closed || up.cut()) {
          return;
        }
        connecting = true;
        ChannelFuture f = new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.AUTO_READ, false)
            .handler(new Forward(down))
            .connect(target);
        f.addListener(done -> {
          if (!done.isSuccess() || closed) {
            f.channel().close();
            client.close();
            return;
          }
          upstream = f.channel();
          up.attach(client, upstream);
          down.attach(upstream, client);
          upstream.closeFuture().addListener(x -> down.onClosed());
          client.config().setAutoRead(true);
          upstream.config().setAutoRead(true);
          up.drain();
        });
      });
    }

    void wake() {
      client.eventLoop().execute(() -> {
        if (upstream == null) {
          connectWhenAllowed();
        } else {
          up.drain();
          down.drain();
        }
      });
    }

    void clientClosed() {
      if (upstream == null) {
        closed = true;
        connections.remove(this);
        up.discard();
        return;
      }
      up.onClosed();
      upstream.closeFuture().addListener(f -> {
        connections.remove(this);
        client.eventLoop().execute(() -> {
          up.discard();
          down.discard();
        });
      });
    }

    void reset() {
      client.eventLoop().execute(() -> {
        closed = true;
        rst(client);
        if (upstream != null) {
          rst(upstream);
        }
      });
    }

    private void rst(Channel ch) {
      if (ch.isOpen()) {
        // SO_LINGER 0 makes close send RST instead of FIN.
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        ch.close();
      }
    }
  }

  /** Hands what a channel reads to the pipe of its direction. */
  private static final class Forward extends ChannelInboundHandlerAdapter {
    private final Pipe pipe;

    Forward(Pipe pipe) {
      this.pipe = pipe;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      pipe.onRead((ByteBuf) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public String toString() {
    return name + " :" + port() + " -> " + target;
  }
}
