package dev.vigil.resp3.client;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport of event loops and the channels that go with them: Linux's native epoll
 * where Netty's native library loads, Java NIO elsewhere.
 *
 * <p>Why epoll: a daemon watching hundreds of groups sends thousands of tiny commands a second,
 * and per command NIO's selector, selected-key set and channel wrappers cost as much as the
 * kernel's own read and write (the 500-group fleet's profile). The native transport goes from
 * epoll to the socket with none of that. Its library ships for linux-x86_64; on other machines,
 * or when it cannot be loaded (a read-only {@code java.io.tmpdir}), NIO is used and the reason
 * logged once (at INFO).
 *
 * <p>{@code -Dvigil.transport=nio} forces NIO (to rule the native transport out of a problem);
 * {@code epoll} requires it (start-up fails when it cannot load); {@code auto}, the default,
 * prefers it.
 */
public enum Transport {
  EPOLL,
  NIO;

  /** The system property that chooses: auto (default), epoll or nio. */
  public static final String PROPERTY = "vigil.transport";

  private static final Logger log = LoggerFactory.getLogger(Transport.class);
  private static volatile boolean fallbackLogged;

  /**
   * The transport {@link #PROPERTY} asks for, or the best this machine has.
   *
   * @throws IllegalArgumentException for a setting other than auto, epoll or nio
   * @throws IllegalStateException for epoll where it cannot be loaded
   */
  public static Transport preferred() {
    // Epoll.unavailabilityCause() loads the native library: asked only when epoll is wanted.
    return choose(System.getProperty(PROPERTY, "auto"), Epoll::unavailabilityCause);
  }

  /**
   * The transport of a group's event loops (a caller's group may be of either kind). An epoll
   * loop cannot exist without the native library, so an NIO group never loads it here.
   */
  public static Transport of(EventLoopGroup group) {
    EventLoop loop = group.next();
    return loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class) ? EPOLL : NIO;
  }

  /** A group of {@code threads} event loops of this transport. */
  public MultiThreadIoEventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads,
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  // The channel classes are named only in the branch of their transport: an NIO user (the backup
  // agent) never loads epoll's.
  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /**
   * The rule, apart from the machine: {@code unavailable} says why epoll cannot be used (null when
   * it can) and is asked only when the setting wants epoll.
   */
  static Transport choose(String setting, Supplier<Throwable> unavailable) {
    switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "nio":
        return NIO;
      case "epoll": {
        Throwable why = unavailable.get();
        if (why != null) {
          throw new IllegalStateException(PROPERTY + "=epoll but Netty's native epoll transport "
              + "cannot be used here: " + why);
        }
        return EPOLL;
      }
      case "auto":
      case "": {
        Throwable why = unavailable.get();
        if (why == null) {
          return EPOLL;
        }
        if (!fallbackLogged) {
          fallbackLogged = true;
          log.info("native epoll transport unavailable, using NIO: {}", why.toString());
        }
        return NIO;
      }
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, epoll or nio, not '" + setting + "'");
    }
  }
}
