package dev.vigil.sentinel.http;

import dev.vigil.sentinel.daemon.SentinelDaemon;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (every group has a connected master, so
 * the daemon's answers are worth routing to) and Prometheus {@code /metrics}, on Netty's HTTP
 * codec: no servlet container in a sidecar.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final SentinelDaemon daemon;
  private final EventLoopGroup loops;
  private final DaemonMetrics metrics;
  private final List<Channel> listeners = new ArrayList<>();

  public HttpEndpoints(SentinelDaemon daemon, EventLoopGroup loops) {
    this.daemon = daemon;
    this.loops = loops;
    this.metrics = new DaemonMetrics(daemon);
  }

  public HttpEndpoints start() throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new Handler());
          }
        });
    for (String host : daemon.config().bind()) {
      listeners.add(b.bind(host, daemon.config().httpPort()).sync().channel());
    }
    return this;
  }

  public int port() {
    return listeners.isEmpty() ? 0 : ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
  }

  @Override
  public void close() {
    listeners.forEach(ch -> ch.close().syncUninterruptibly());
  }

  /**
   * Ready: every group has a connected master or a failover in progress (a daemon busy failing
   * over is exactly the one that must stay routable).
   */
  boolean ready() {
    return daemon.groups().stream()
        .allMatch(g -> g.master().link().connected() || g.agreement().failover() != null);
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = req.uri().split("\\?", 2)[0];
      FullHttpResponse resp = switch (path) {
        case "/healthz" -> text(HttpResponseStatus.OK, "ok\n", "text/plain");
        case "/readyz" -> ready()
            ? text(HttpResponseStatus.OK, "ready\n", "text/plain")
            : text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "not ready: a master is unreachable and no failover is running\n",
                "text/plain");
        case "/metrics" -> text(HttpResponseStatus.OK, metrics.scrape(),
            "text/plain; version=0.0.4; charset=utf-8");
        default -> text(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
      };
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return r;
  }
}
