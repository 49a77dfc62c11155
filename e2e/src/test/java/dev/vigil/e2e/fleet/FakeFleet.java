package dev.vigil.e2e.fleet;

import dev.vigil.resp3.codec.RespDecoder;
import dev.vigil.resp3.codec.RespEncoder;
import dev.vigil.resp3.codec.RespLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Many lightweight Valkey-like nodes in one process, one loopback port each, all served by a
 * single event loop so that the fleet's state needs no locks: every node's role, the master it
 * replicates from, its pub/sub subscribers and the PING gaps its clients leave are touched only on
 * that loop. Enough of Valkey for a Sentinel (Vigil's or Redis') to monitor groups of nodes and
 * fail them over: PING, INFO, ROLE, HELLO, REPLICAOF/SLAVEOF, PUBLISH/SUBSCRIBE, MULTI/EXEC,
 * CLIENT, CONFIG (see {@link FakeNodeHandler}).
 *
 * <p>Replication is modelled, not performed: a replica's link is up while its master is alive,
 * and every live node's offset is the fleet's clock, so replicas are always in sync; a replica
 * whose master died keeps the offset it had then.
 */
public final class FakeFleet implements AutoCloseable {
  /** Requests to a node here are small commands. */
  private static final RespLimits LIMITS = new RespLimits(1 << 20, 1024, 8, 64 * 1024);

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final EventLoop loop = group.next();
  private final Map<Integer, FakeNode> nodes = new HashMap<>();
  private final long startedAt = System.nanoTime();
  private final PingGaps pingGaps = new PingGaps();
  private final CommandCounts commandCounts = new CommandCounts();

  /** A group of the fleet: a master and its replicas, by port. */
  public record Group(int master, List<Integer> replicas) {}

  /** Starts {@code count} groups of a master and {@code replicas} replicas each. */
  public List<Group> startGroups(int count, int replicas) throws InterruptedException {
    List<Group> groups = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      FakeNode master = startNode(null);
      List<Integer> rs = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        rs.add(startNode(master.port).port);
      }
      groups.add(new Group(master.port, rs));
    }
    return groups;
  }

  private FakeNode startNode(Integer masterPort) throws InterruptedException {
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            int port = ((InetSocketAddress) ch.localAddress()).getPort();
            ch.pipeline().addLast(RespDecoder.forServer(LIMITS), RespEncoder.INSTANCE,
                new FakeNodeHandler(FakeFleet.this, port));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    FakeNode node = new FakeNode(this, port, server, masterPort);
    call(() -> nodes.put(port, node));
    return node;
  }

  /** The node on {@code port}; only on the fleet's loop. */
  FakeNode node(int port) {
    return nodes.get(port);
  }

  /** Every node, live or killed; only on the fleet's loop. */
  Iterable<FakeNode> nodes() {
    return nodes.values();
  }

  PingGaps pingGaps() {
    return pingGaps;
  }

  CommandCounts commandCounts() {
    return commandCounts;
  }

  /** Milliseconds since the fleet started: every live node's replication offset. */
  long clockOffset() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
  }

  /** Runs {@code task} on the fleet's loop and waits for its result. */
  public <T> T call(Callable<T> task) {
    try {
      return loop.submit(task).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * As {@code kill -9} of a node: its port closes (new connections are refused) and every
   * connection to it drops.
   */
  public void kill(int port) {
    call(() -> {
      nodes.get(port).kill();
      return null;
    });
  }

  /** The node's role as it would answer ROLE: "master", or "slave" and the port it follows. */
  public String role(int port) {
    return call(() -> {
      FakeNode n = nodes.get(port);
      return n.isMaster() ? "master" : "slave:" + n.masterPort();
    });
  }

  /** Starts counting PING gaps and commands afresh (after a warm-up). */
  public void resetCounts() {
    call(() -> {
      pingGaps.reset();
      commandCounts.reset(System.nanoTime());
      return null;
    });
  }

  /** Commands per second the nodes took since the last reset, the most frequent first. */
  public String commandsPerSecond() {
    return call(() -> commandCounts.perSecond(System.nanoTime()));
  }

  /** The PING gaps since the last reset, against {@code periodMs}. */
  public PingGaps.Summary pingGaps(long periodMs) {
    return call(() -> pingGaps.summary(periodMs, System.nanoTime()));
  }

  /** How many live nodes got a PING within the last {@code withinMs}. */
  public int nodesPingedWithin(long withinMs) {
    return call(() -> {
      long since = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(withinMs);
      int n = 0;
      for (FakeNode node : nodes.values()) {
        if (node.alive() && node.lastPingAt() - since > 0) {
          n++;
        }
      }
      return n;
    });
  }

  public int size() {
    return call(nodes::size);
  }

  @Override
  public void close() {
    call(() -> {
      nodes.values().forEach(FakeNode::kill);
      return null;
    });
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
