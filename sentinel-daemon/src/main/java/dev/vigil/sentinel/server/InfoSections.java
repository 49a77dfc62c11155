package dev.vigil.sentinel.server;

import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.TiltState;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO on the daemon's port: the sections a Sentinel has ({@code server}, {@code clients},
 * {@code cpu}, {@code stats}, {@code sentinel}) with Sentinel's field names, so tools that read
 * them (monitoring agents, redis-cli, diagnostics) work unchanged.
 */
final class InfoSections {
  static final List<String> ALL = List.of("server", "clients", "cpu", "stats", "sentinel");
  /** The Redis/Valkey protocol level the daemon's port emulates, for clients that check it. */
  static final String COMPAT_VERSION = "7.2.4";
  static final String VIGIL_VERSION = "0.1.0";

  private InfoSections() {}

  static String render(DaemonCommands d, List<String> requested, Stats stats) {
    Set<String> sections = new LinkedHashSet<>();
    if (requested.isEmpty()) {
      sections.addAll(ALL);
    }
    for (String r : requested) {
      String s = r.toLowerCase(Locale.ROOT);
      if (s.equals("all") || s.equals("default") || s.equals("everything")) {
        sections.addAll(ALL);
      } else if (ALL.contains(s)) {
        sections.add(s);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String s : ALL) {
      if (!sections.contains(s)) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("\r\n");
      }
      switch (s) {
        case "server" -> server(sb, d, stats.boundPort());
        case "clients" -> line(sb.append("# Clients\r\n"), "connected_clients", stats.connectedClients());
        case "cpu" -> cpu(sb);
        case "stats" -> {
          sb.append("# Stats\r\n");
          line(sb, "total_connections_received", stats.totalConnections());
          line(sb, "total_commands_processed", stats.totalCommands());
        }
        case "sentinel" -> sentinel(sb, d);
        default -> throw new IllegalStateException(s);
      }
    }
    return sb.toString();
  }

  private static void server(StringBuilder sb, DaemonCommands d, int port) {
    long uptime = d.uptimeMillis() / 1000;
    sb.append("# Server\r\n");
    line(sb, "redis_version", COMPAT_VERSION);
    line(sb, "vigil_version", VIGIL_VERSION);
    line(sb, "redis_mode", "sentinel");
    line(sb, "server_mode", "sentinel");
    line(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    line(sb, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
    line(sb, "process_id", ProcessHandle.current().pid());
    line(sb, "run_id", d.myId());
    line(sb, "tcp_port", port);
    line(sb, "server_time_usec", System.currentTimeMillis() * 1000);
    line(sb, "uptime_in_seconds", uptime);
    line(sb, "uptime_in_days", uptime / 86400);
    line(sb, "config_file", d.config().format() == dev.vigil.sentinel.config.DaemonConfig.Format.SENTINEL_CONF
        ? d.config().stateFile().toAbsolutePath() : "");
  }

  private static void cpu(StringBuilder sb) {
    sb.append("# CPU\r\n");
    double cpu = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuTime() / 1e9;
    }
    line(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", 0.0));
    line(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu));
  }

  private static void sentinel(StringBuilder sb, DaemonCommands d) {
    List<GroupState> groups = d.groups();
    sb.append("# Sentinel\r\n");
    line(sb, "sentinel_masters", groups.size());
    long now = d.clock().millis();
    TiltState tilt = d.tilt(now);
    line(sb, "sentinel_tilt", tilt.active() ? 1 : 0);
    line(sb, "sentinel_tilt_since_seconds", tilt.sinceSeconds(now));
    line(sb, "sentinel_total_tilt", tilt.total());
    line(sb, "sentinel_running_scripts", 0);
    line(sb, "sentinel_scripts_queue_length", 0);
    line(sb, "sentinel_simulate_failure_flags", 0);
    // Vigil's own field: how long this daemon still sits out elections and refuses SENTINEL
    // FAILOVER because it started without its state (0: it takes part), so that scripts and
    // tests can wait for it instead of retrying NOTREADY.
    line(sb, "vigil_fresh_identity_quarantine_ms", Math.max(0, d.abstainUntil() - now));
    for (int i = 0; i < groups.size(); i++) {
      GroupState g = groups.get(i);
      String status = g.agreement().odown() ? "odown" : g.master().sdown() ? "sdown" : "ok";
      line(sb, "master" + i, "name=" + g.name() + ",status=" + status + ",address="
          + g.masterAddress().host() + ":" + g.masterAddress().port() + ",slaves="
          + g.replicas().size() + ",sentinels=" + (g.peers().size() + 1));
    }
  }

  private static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append(':').append(value).append("\r\n");
  }

  /** What the server itself knows for INFO: its port and its counters. */
  interface Stats {
    /** The port clients reach this server on (the TLS one when it listens on TLS only). */
    int boundPort();

    long connectedClients();

    long totalConnections();

    long totalCommands();
  }
}
