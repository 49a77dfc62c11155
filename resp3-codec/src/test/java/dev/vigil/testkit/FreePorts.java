package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for processes that must be told theirs before they start (servers, daemons, proxies).
 *
 * <p>A port the kernel hands out for {@code bind(0)} comes from the ephemeral range, the same one
 * every outgoing connection of every process takes its local port from: between our check and the
 * process's bind, a test's own clients could take it (seen: a daemon that died with "Address
 * already in use" at start on a busy machine). So ports are picked at random below that range,
 * where only a listener asking for that very port can collide, and never handed out twice by
 * this JVM. 6379 and Sentinel's 26379-26381 are never used.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A loopback port nobody listens on now, below the ephemeral range. */
  public static int loopback() {
    return on(InetAddress.getLoopbackAddress());
  }

  /** A port free on {@code address} now, below the ephemeral range. */
  public static int on(InetAddress address) {
    int below = ephemeralLow();
    if (below - LOWEST < 1_000) {
      return kernelPicked(address); // no room below the range on this machine
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 1_000; i++) {
      int port = r.nextInt(LOWEST, below);
      if (port == 6379 || (port >= 26379 && port <= 26381) || !HANDED_OUT.add(port)) {
        continue;
      }
      if (bindable(address, port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on " + address + " below " + below);
  }

  private static boolean bindable(InetAddress address, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int kernelPicked(InetAddress address) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(address, 0));
      int port = s.getLocalPort();
      return port == 6379 || !HANDED_OUT.add(port) ? kernelPicked(address) : port;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + address, e);
    }
  }

  /** The lowest ephemeral port (Linux's ip_local_port_range), or 32768 where it cannot be read. */
  static int ephemeralLow() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim()
          .split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
