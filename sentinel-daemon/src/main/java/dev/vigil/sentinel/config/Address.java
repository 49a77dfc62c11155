package dev.vigil.sentinel.config;

import java.util.Locale;

/**
 * Where a node or daemon is reached: a host (IP literal or, with resolve-hostnames, a DNS name)
 * and a port. Host comparison ignores case, as DNS does.
 */
public record Address(String host, int port) {
  public Address {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port);
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  public static Address parse(String host, String port) {
    try {
      return new Address(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port '" + port + "'");
    }
  }

  /** True for IPv4 and IPv6 literals, which never need resolving. */
  public boolean isIpLiteral() {
    return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
