package dev.vigil.sentinel.server;

import dev.vigil.resp3.client.Transport;
import dev.vigil.resp3.codec.RespDecoder;
import dev.vigil.resp3.codec.RespEncoder;
import dev.vigil.resp3.codec.RespLimits;
import dev.vigil.sentinel.config.TlsSettings;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.net.Listeners;
import dev.vigil.sentinel.tls.HandshakeLogger;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Sentinel-protocol port: listens, tracks client sessions, publishes events to them. */
public final class SentinelServer implements InfoSections.Stats, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SentinelServer.class);
  /** Requests to a sentinel are small: 1 MiB bulks and 1,024 arguments are plenty. */
  private static final RespLimits LIMITS = new RespLimits(1 << 20, 1024, 8, 64 * 1024);

  private final DaemonCommands daemon;
  private final EventLoopGroup loops;
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
  private final PubSubHub pubsub = new PubSubHub();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong commands = new AtomicLong();
  private final List<Channel> listeners = new ArrayList<>();
  private final List<Channel> tlsListeners = new ArrayList<>();
  private final HandshakeLogger handshakes = new HandshakeLogger();
  private volatile Runnable onShutdown = () -> { };

  public SentinelServer(DaemonCommands daemon, EventLoopGroup loops) {
    this.daemon = daemon;
    this.loops = loops;
  }

  /** Publishes a daemon event to the clients subscribed to its channel. */
  public void publish(SentinelEvent e) {
    pubsub.publish(e);
  }

  public SentinelServer start() throws InterruptedException {
    TlsSettings tls = daemon.config().tls();
    // As Sentinel: port 0 with a tls-port means TLS only. (Without TLS, 0 lets the OS choose.)
    if (daemon.config().port() > 0 || tls.port() == 0) {
      listeners.addAll(Listeners.bind(bootstrap(null), daemon.config().bind(),
          daemon.config().port(), "Sentinel clients", "'port' (env VIGIL_PORT)"));
      listeners.forEach(ch -> log.info("listening for Sentinel clients on {}", ch.localAddress()));
    }
    if (tls.port() > 0) {
      tlsListeners.addAll(Listeners.bind(bootstrap(daemon.tls().server()), daemon.config().bind(),
          tls.port(), "Sentinel clients over TLS", "'tls-port' (env VIGIL_TLS_PORT)"));
      tlsListeners.forEach(ch -> log.info("listening for Sentinel clients over TLS on {} "
          + "(client certificates: {})", ch.localAddress(), tls.authClients()));
    }
    return this;
  }

  private ServerBootstrap bootstrap(SslContext ssl) {
    return new ServerBootstrap()
        .group(loops)
        .channel(Transport.of(loops).serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc()), handshakes);
            }
            ch.pipeline().addLast(RespDecoder.forServer(LIMITS), RespEncoder.INSTANCE,
                new CommandHandler(SentinelServer.this, daemon));
          }
        });
  }

  /**
   * The bound plaintext port (the configured one, or the one the OS chose for port 0); the TLS
   * port when there is no plaintext listener.
   */
  public int port() {
    if (listeners.isEmpty()) {
      return tlsListeners.isEmpty() ? daemon.config().port() : tlsPort();
    }
    return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
  }

  /** The bound TLS port, or 0 without a TLS listener. */
  public int tlsPort() {
    return tlsListeners.isEmpty() ? 0
        : ((InetSocketAddress) tlsListeners.get(0).localAddress()).getPort();
  }

  /** Called when a client sends SHUTDOWN (the CLI exits the process). */
  public void onShutdown(Runnable r) {
    this.onShutdown = r;
  }

  void shutdownRequested() {
    onShutdown.run();
  }

  void register(ClientSession s) {
    sessions.add(s);
    pubsub.register(s);
    connections.incrementAndGet();
  }

  void unregister(ClientSession s) {
    if (s != null) {
      sessions.remove(s);
      pubsub.unregister(s);
    }
  }

  Collection<ClientSession> sessions() {
    return sessions;
  }

  void countCommand() {
    commands.incrementAndGet();
  }

  @Override
  public int boundPort() {
    return port();
  }

  @Override
  public long connectedClients() {
    return sessions.size();
  }

  @Override
  public long totalConnections() {
    return connections.get();
  }

  @Override
  public long totalCommands() {
    return commands.get();
  }

  @Override
  public void close() {
    listeners.forEach(ch -> ch.close().syncUninterruptibly());
    tlsListeners.forEach(ch -> ch.close().syncUninterruptibly());
    sessions.forEach(s -> s.channel.close());
  }
}
