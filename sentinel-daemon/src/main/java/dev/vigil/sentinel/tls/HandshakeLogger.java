package dev.vigil.sentinel.tls;

import dev.vigil.resp3.tls.TlsFailure;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the listener's SslHandler: a failed handshake is logged with the client's address
 * and the reason, once per client host and reason a minute (a client retrying with a bad
 * certificate must not flood the log), and the connection is closed without reaching the
 * command handler.
 */
@Sharable
public final class HandshakeLogger extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HandshakeLogger.class);
  private static final long QUIET_MS = 60_000;
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      report(ctx.channel().remoteAddress(), e.cause());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (TlsFailure.isTls(cause)) {
      report(ctx.channel().remoteAddress(), cause);
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  private void report(SocketAddress remote, Throwable cause) {
    String host = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
        : String.valueOf(remote);
    String reason = TlsFailure.describe(cause);
    long now = System.nanoTime() / 1_000_000;
    String key = host + " " + reason;
    Long before = lastLogged.get(key);
    if (before == null || now - before >= QUIET_MS) {
      lastLogged.put(key, now);
      if (lastLogged.size() > 1024) {
        lastLogged.clear();
      }
      log.warn("TLS handshake with client {} failed: {}", remote, reason);
    }
  }
}
