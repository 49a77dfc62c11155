package dev.vigil.operator.master;

import java.util.Locale;

/** A node or daemon address as the daemons report it (an IP or a DNS name) and a port. */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank() || port <= 0 || port > 65535) {
      throw new IllegalArgumentException("invalid address " + host + ":" + port);
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
