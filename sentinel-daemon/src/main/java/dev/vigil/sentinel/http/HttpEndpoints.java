package dev.vigil.sentinel.http;

import dev.vigil.resp3.client.Transport;
import dev.vigil.sentinel.net.Listeners;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeReadiness;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (every group has a connected master, so
 * the daemon's answers are worth routing to) and Prometheus {@code /metrics}, on Netty's HTTP
 * codec: no servlet container in a sidecar. For the Valkey container next to a sidecar daemon:
 * {@code /node-ready} (its readiness, from the daemons' view) and {@code /prestop} (hand the
 * master role over before the pod stops), both taking {@code group}, {@code host}, {@code port}.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final DaemonStatus daemon;
  private final EventLoopGroup loops;
  private final DaemonMetrics metrics;
  private final List<Channel> listeners = new ArrayList<>();
  private final PreStopSwitchover preStop;

  public HttpEndpoints(DaemonStatus daemon, EventLoopGroup loops) {
    this.daemon = daemon;
    this.loops = loops;
    this.metrics = new DaemonMetrics(daemon);
    this.preStop = new PreStopSwitchover(daemon, loops, this::query);
  }

  public HttpEndpoints start() throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(loops)
        .channel(Transport.of(loops).serverChannel())
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new Handler());
          }
        });
    listeners.addAll(Listeners.bind(b, daemon.config().bind(), daemon.config().httpPort(),
        "HTTP", "'http-port' (env VIGIL_HTTP_PORT)"));
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
        case "/node-ready" -> nodeReady(new QueryStringDecoder(req.uri()));
        case "/prestop" -> {
          preStop.handle(new QueryStringDecoder(req.uri()))
              .thenAccept(r -> respond(ctx, req, r));
          yield null;
        }
        default -> text(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
      };
      if (resp != null) {
        respond(ctx, req, resp);
      }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse resp) {
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private FullHttpResponse nodeReady(QueryStringDecoder q) {
    NodeQuery n;
    try {
      n = query(q);
    } catch (IllegalArgumentException e) {
      return text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n", "text/plain");
    }
    GroupState g = daemon.group(n.group());
    if (g == null) {
      return text(HttpResponseStatus.NOT_FOUND, "no group " + n.group() + "\n", "text/plain");
    }
    NodeReadiness.Verdict v = NodeReadiness.of(g, n.host(), n.port());
    return text(v.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        v.reason() + "\n", "text/plain");
  }

  /** Parses a node query; the default node is VIGIL_SELF_NODE (the sidecar's Valkey). */
  NodeQuery query(QueryStringDecoder q) {
    return NodeQuery.of(q, System.getenv("VIGIL_SELF_NODE"),
        daemon.groups().stream().map(GroupState::name).toList());
  }

  static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return r;
  }
}
