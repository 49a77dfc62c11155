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

  /** {@code host:port}, or {@code [v6]:port} for an IPv6 literal. */
  public static Address parse(String hostPort) {
    String s = hostPort.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return parse(host, s.substring(colon + 1));
  }

  /** True for IPv4 and IPv6 literals, which never need resolving. */
  public boolean isIpLiteral() {
    return isIpLiteral(host);
  }

  /** Whether {@code host} is an IP address rather than a name (what certificates can name). */
  public static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
