package dev.vigil.e2e.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Names the source of a connection a proxy accepted. On loopback every connection comes from
 * 127.0.0.1 whatever process made it, and neither the daemon nor a replica can be told which
 * local address to connect from per peer, so the source is found as the kernel knows it: the
 * socket whose local port is the connection's remote port ({@code /proc/net/tcp[6]}) and the
 * registered process holding that socket ({@code /proc/PID/fd}). Clients inside the test JVM
 * share its process and are told apart by the loopback address they bind (127.0.0.2, ...).
 */
public final class SocketOwners implements Function<InetSocketAddress, String> {
  public static final String UNKNOWN = "unknown";

  private final Map<Long, String> byPid = new ConcurrentHashMap<>();
  private final Map<String, String> byAddress = new ConcurrentHashMap<>();

  public void registerProcess(long pid, String name) {
    byPid.put(pid, name);
  }

  /** Connections from this loopback address (other than 127.0.0.1) are {@code name}'s. */
  public void registerAddress(String address, String name) {
    byAddress.put(address, name);
  }

  @Override
  public String apply(InetSocketAddress remote) {
    String named = byAddress.get(remote.getAddress().getHostAddress());
    if (named != null) {
      return named;
    }
    String inode = inodeOfLocalPort(remote.getPort());
    if (inode == null) {
      return UNKNOWN;
    }
    String link = "socket:[" + inode + "]";
    for (Map.Entry<Long, String> e : byPid.entrySet()) {
      if (holds(e.getKey(), link)) {
        return e.getValue();
      }
    }
    return UNKNOWN;
  }

  private static String inodeOfLocalPort(int port) {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st ... uid timeout inode
          if (f.length > 9 && f[1].endsWith(hexPort) && "01".equals(f[3])) {
            return f[9];
          }
        }
      } catch (IOException e) {
        // no such table (no IPv6): try the next
      }
    }
    return null;
  }

  private static boolean holds(long pid, String link) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          if (link.equals(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    } catch (IOException gone) {
      // the process exited
    }
    return false;
  }
}
