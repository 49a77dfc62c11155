package dev.vigil.sentinel.net;

import dev.vigil.sentinel.config.ConfigException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a daemon's listening sockets, one per bind address. A socket that cannot be opened
 * fails the start with one line naming the address, the port and the setting that chose them:
 * three daemons started side by side from plain sentinel.conf files must say which port clashed,
 * not print Netty's stack trace.
 */
public final class Listeners {
  private Listeners() {}

  /**
   * Binds {@code port} on every host; a port of 0 is chosen by the OS once and reused for the
   * other hosts, so every address serves the same port.
   *
   * @param what what listens there, for the message ("Sentinel clients", "HTTP")
   * @param setting the configuration key and environment variable that set the port
   * @throws ConfigException when a socket cannot be opened; the ones already open are closed
   */
  public static List<Channel> bind(ServerBootstrap bootstrap, List<String> hosts, int port,
      String what, String setting) throws InterruptedException {
    List<Channel> open = new ArrayList<>();
    int next = port;
    for (String host : hosts) {
      ChannelFuture f = bootstrap.bind(host, next).await();
      if (!f.isSuccess()) {
        open.forEach(ch -> ch.close().syncUninterruptibly());
        Throwable cause = f.cause();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
            : cause.getMessage();
        throw new ConfigException("cannot listen for " + what + " on " + host + ":" + next + " ("
            + reason + "); the port is set by " + setting);
      }
      open.add(f.channel());
      next = ((InetSocketAddress) f.channel().localAddress()).getPort();
    }
    return open;
  }
}
