package dev.vigil.sentinel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the daemon is configured with, from a HOCON file or a sentinel.conf.
 *
 * @param port the Sentinel-protocol port (26379)
 * @param bind addresses to listen on
 * @param httpPort health and metrics port, 0 to disable
 * @param announceIp address put in hello messages instead of the local one, or null
 * @param announcePort port put in hello messages instead of {@code port}, or 0
 * @param announceHostnames use hostnames rather than IPs in replies, events and REPLICAOF
 * @param resolveHostnames accept hostnames for nodes and re-resolve them on every reconnect
 * @param requirePass password clients of the daemon's port must AUTH with, or null
 * @param sentinelUser user this daemon authenticates as with peers, or null
 * @param sentinelPass password this daemon authenticates with to peers, or null
 * @param forgetAfter how long a replica or peer must be gone before it may be forgotten
 * @param timing periods, see {@link Timing}
 * @param failover failover tunables, see {@link FailoverTuning}
 * @param masters the monitored groups
 * @param stateFile where state is persisted (the sentinel.conf itself in sentinel.conf mode)
 * @param format which syntax the configuration file was in
 * @param tls TLS listener and outbound links, see {@link TlsSettings}
 */
public record DaemonConfig(
    int port,
    List<String> bind,
    int httpPort,
    String announceIp,
    int announcePort,
    boolean announceHostnames,
    boolean resolveHostnames,
    String requirePass,
    String sentinelUser,
    String sentinelPass,
    Duration forgetAfter,
    Timing timing,
    FailoverTuning failover,
    List<MasterSpec> masters,
    Path stateFile,
    Format format,
    TlsSettings tls) {

  /** Where a configuration came from; it decides how state is written back. */
  public enum Format {
    HOCON,
    SENTINEL_CONF
  }

  /** The parameters SENTINEL CONFIG SET may change at run time. */
  public static final java.util.List<String> RUNTIME_PARAMETERS = java.util.List.of(
      "resolve-hostnames", "announce-hostnames", "announce-ip", "announce-port", "sentinel-user",
      "sentinel-pass", "loglevel");

  /**
   * A copy with one run-time parameter changed (SENTINEL CONFIG SET).
   *
   * @throws IllegalArgumentException for an unknown parameter or an invalid value
   */
  public DaemonConfig with(String parameter, String value) {
    String v = value.isEmpty() ? null : value;
    return switch (parameter) {
      case "resolve-hostnames" -> new DaemonConfig(port, bind, httpPort, announceIp, announcePort,
          announceHostnames, yesNo(value), requirePass, sentinelUser, sentinelPass, forgetAfter,
          timing, failover, masters, stateFile, format, tls);
      case "announce-hostnames" -> new DaemonConfig(port, bind, httpPort, announceIp, announcePort,
          yesNo(value), resolveHostnames, requirePass, sentinelUser, sentinelPass, forgetAfter,
          timing, failover, masters, stateFile, format, tls);
      case "announce-ip" -> new DaemonConfig(port, bind, httpPort, v, announcePort,
          announceHostnames, resolveHostnames, requirePass, sentinelUser, sentinelPass,
          forgetAfter, timing, failover, masters, stateFile, format, tls);
      case "announce-port" -> {
        int p;
        try {
          p = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          p = -1;
        }
        if (p < 0 || p > 65535) {
          throw new IllegalArgumentException("invalid port " + value);
        }
        yield new DaemonConfig(port, bind, httpPort, announceIp, p, announceHostnames,
            resolveHostnames, requirePass, sentinelUser, sentinelPass, forgetAfter, timing, failover,
            masters, stateFile, format, tls);
      }
      case "sentinel-user" -> new DaemonConfig(port, bind, httpPort, announceIp, announcePort,
          announceHostnames, resolveHostnames, requirePass, v, sentinelPass, forgetAfter, timing, failover,
          masters, stateFile, format, tls);
      case "sentinel-pass" -> new DaemonConfig(port, bind, httpPort, announceIp, announcePort,
          announceHostnames, resolveHostnames, requirePass, sentinelUser, v, forgetAfter, timing, failover,
          masters, stateFile, format, tls);
      case "loglevel" -> {
        if (!java.util.Set.of("debug", "verbose", "notice", "warning", "nothing").contains(value)) {
          throw new IllegalArgumentException("invalid loglevel " + value);
        }
        yield this;
      }
      default -> throw new IllegalArgumentException("unknown parameter " + parameter);
    };
  }

  private static boolean yesNo(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "yes" -> true;
      case "no" -> false;
      default -> throw new IllegalArgumentException("expected yes or no");
    };
  }

  public DaemonConfig {
    bind = List.copyOf(bind);
    masters = List.copyOf(masters);
    for (MasterSpec m : masters) {
      if (!resolveHostnames && !m.address().isIpLiteral()) {
        throw new IllegalArgumentException("Can't resolve instance hostname '"
            + m.address().host() + "' of master " + m.name() + ": set resolve-hostnames to use names");
      }
    }
    for (Address p : failover.peers()) {
      if (!resolveHostnames && !p.isIpLiteral()) {
        throw new IllegalArgumentException("Can't resolve peer hostname '" + p.host()
            + "' in vigil.failover.peers (sentinel vigil-peer): set resolve-hostnames to use names");
      }
    }
    long names = masters.stream().map(MasterSpec::name).distinct().count();
    if (names != masters.size()) {
      throw new IllegalArgumentException("Duplicate master name.");
    }
  }
}
