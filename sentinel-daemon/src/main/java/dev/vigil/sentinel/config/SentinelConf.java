package dev.vigil.sentinel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.sentinel.state.DaemonState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Valkey {@code sentinel.conf}: the directives Valkey Sentinel accepts, applied in its
 * order (globals, then {@code monitor}, then per-master settings), and the state lines it writes.
 * Unknown server directives are warned about and ignored, so a file made for valkey-sentinel
 * runs unchanged; an unknown {@code sentinel} directive is an error, as in Sentinel, because it
 * is most likely a typo in something that matters.
 */
public final class SentinelConf {
  /** Server directives a sentinel.conf may carry that mean nothing to Vigil. */
  private static final Set<String> IGNORED = Set.of("daemonize", "pidfile", "logfile", "loglevel",
      "dir", "protected-mode", "supervised", "syslog-enabled", "syslog-ident", "syslog-facility",
      "tcp-backlog", "tcp-keepalive", "timeout", "unixsocket", "unixsocketperm", "always-show-logo",
      "set-proc-title", "proc-title-template", "locale-collate", "enable-debug-command",
      "hide-user-data-from-log", "extended-redis-compat");
  private static final Set<String> UNSUPPORTED_MASTER_OPTIONS = Set.of("notification-script",
      "client-reconfig-script", "rename-command", "master-reboot-down-after-period",
      "primary-reboot-down-after-period");
  private static final Set<String> FIRST_TOKENS = Set.of("sentinel", "port", "bind", "requirepass",
      "daemonize", "dir", "logfile", "pidfile", "loglevel", "protected-mode", "user", "aclfile",
      "tls-port", "supervised", "tls-cert-file", "tls-key-file", "tls-key-file-pass",
      "tls-ca-cert-file", "tls-ca-cert-dir", "tls-auth-clients", "tls-replication",
      "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-prefer-server-ciphers",
      "tls-client-cert-file", "tls-client-key-file");

  private SentinelConf() {}

  /** True when the file's first directive is one a sentinel.conf starts with (not HOCON). */
  public static boolean looksLikeSentinelConf(List<String> lines) {
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String first = t.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      return FIRST_TOKENS.contains(first) && !t.contains("=") && !t.contains("{");
    }
    return false;
  }

  public static LoadedConfig load(Path file, List<String> lines, Config reference,
      Map<String, String> env) {
    String source = file.toString();
    List<String> warnings = new ArrayList<>();
    List<Directive> directives = Directive.parseAll(source, lines);
    Map<String, Object> globals = new LinkedHashMap<>();
    List<Directive> monitors = new ArrayList<>();
    List<Directive> masterOptions = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (Directive d : directives) {
      String where = source + ":" + d.line() + ": ";
      try {
        switch (d.name()) {
          case "port" -> globals.put("vigil.port", Integer.parseInt(d.arg(0)));
          case "bind" -> globals.put("vigil.bind", d.args().subList(1, d.args().size()));
          case "requirepass" -> globals.put("vigil.requirepass", d.arg(0));
          case "tls-port" -> globals.put("vigil.tls.port", Integer.parseInt(d.arg(0)));
          case "tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-ca-cert-file",
              "tls-ca-cert-dir", "tls-auth-clients", "tls-protocols", "tls-ciphers",
              "tls-ciphersuites", "tls-client-cert-file", "tls-client-key-file" ->
              globals.put("vigil.tls." + d.name().substring("tls-".length()), d.arg(0));
          case "tls-replication", "tls-prefer-server-ciphers" ->
              globals.put("vigil.tls." + d.name().substring("tls-".length()), yesNo(d.arg(0)));
          case "sentinel announce-ip" -> globals.put("vigil.announce-ip", d.arg(0));
          case "sentinel announce-port" -> globals.put("vigil.announce-port", Integer.parseInt(d.arg(0)));
          case "sentinel announce-hostnames" -> globals.put("vigil.announce-hostnames", yesNo(d.arg(0)));
          case "sentinel resolve-hostnames" -> globals.put("vigil.resolve-hostnames", yesNo(d.arg(0)));
          case "sentinel sentinel-user" -> globals.put("vigil.sentinel-user", d.arg(0));
          case "sentinel sentinel-pass" -> globals.put("vigil.sentinel-pass", d.arg(0));
          case "sentinel deny-scripts-reconfig" ->
              warnings.add(where + "scripts are not supported; deny-scripts-reconfig ignored");
          case "sentinel vigil-peer" -> {
            if (d.argCount() != 2) {
              throw new ConfigException(where + "sentinel vigil-peer needs HOST PORT");
            }
            try {
              peers.add(Address.parse(d.arg(0), d.arg(1)).toString());
            } catch (IllegalArgumentException e) {
              throw new ConfigException(where + "sentinel vigil-peer: " + e.getMessage());
            }
            globals.put("vigil.failover.peers", peers);
          }
          case "sentinel vigil-tls-ports" -> {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < d.argCount(); i++) {
              ports.add(Integer.parseInt(d.arg(i)));
            }
            globals.put("vigil.tls.ports", ports);
          }
          case "sentinel monitor" -> monitors.add(d);
          case "sentinel down-after-milliseconds", "sentinel failover-timeout",
              "sentinel parallel-syncs", "sentinel auth-pass", "sentinel auth-user" ->
              masterOptions.add(d);
          default -> {
            if (StateLines.NAMES.contains(d.name())) {
              break;
            }
            if (d.name().startsWith("sentinel ")) {
              String option = d.name().substring("sentinel ".length());
              if (UNSUPPORTED_MASTER_OPTIONS.contains(option)) {
                warnings.add(where + "'" + option + "' is not supported by Vigil and is ignored");
              } else {
                throw new ConfigException(where + "Unrecognized sentinel configuration statement '"
                    + option + "'");
              }
            } else if (!IGNORED.contains(d.name())) {
              warnings.add(where + "server directive '" + d.name() + "' ignored");
            }
          }
        }
      } catch (IndexOutOfBoundsException e) {
        throw new ConfigException(where + "wrong number of arguments for '" + d.name() + "'");
      } catch (NumberFormatException e) {
        throw new ConfigException(where + "expected a number in '" + d.name() + "'");
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + e.getMessage());
      }
    }
    Config root = EnvOverrides.from(env)
        .withFallback(ConfigFactory.parseMap(globals, source))
        .withFallback(reference)
        .resolve();
    Map<String, MasterSpec> masters = new LinkedHashMap<>();
    for (Directive d : monitors) {
      String where = source + ":" + d.line() + ": ";
      try {
        String name = d.arg(0);
        if (masters.containsKey(name)) {
          throw new ConfigException(where + "Duplicate master name.");
        }
        int quorum = Integer.parseInt(d.arg(3));
        masters.put(name, HoconSettings.defaults(root, name, Address.parse(d.arg(1), d.arg(2)), quorum));
      } catch (IndexOutOfBoundsException e) {
        throw new ConfigException(where + "sentinel monitor needs NAME HOST PORT QUORUM");
      } catch (NumberFormatException e) {
        throw new ConfigException(where + "invalid quorum '" + d.arg(3) + "'");
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + e.getMessage());
      }
    }
    for (Directive d : masterOptions) {
      String where = source + ":" + d.line() + ": ";
      try {
        String name = d.arg(0);
        MasterSpec m = masters.get(name);
        if (m == null) {
          throw new ConfigException(where + "No such master with specified name.");
        }
        masters.put(name, applyOption(m, d.name().substring("sentinel ".length()), d.arg(1)));
      } catch (IndexOutOfBoundsException e) {
        throw new ConfigException(where + "wrong number of arguments for '" + d.name() + "'");
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + e.getMessage());
      }
    }
    DaemonConfig config = HoconSettings.read(root, file, DaemonConfig.Format.SENTINEL_CONF,
        List.copyOf(masters.values()));
    Map<String, Address> groups = new LinkedHashMap<>();
    masters.values().forEach(m -> groups.put(m.name(), m.address()));
    DaemonState state = StateLines.read(source, directives, groups, warnings);
    return new LoadedConfig(config, state, warnings, !StateLines.hasIdentity(directives));
  }

  /** Applies one per-master option (also what SENTINEL SET does). */
  public static MasterSpec applyOption(MasterSpec m, String option, String value) {
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "down-after-milliseconds" -> m.withDownAfter(Duration.ofMillis(positive(value)));
      case "failover-timeout" -> m.withFailoverTimeout(Duration.ofMillis(positive(value)));
      case "parallel-syncs" -> m.withParallelSyncs((int) positive(value));
      case "quorum" -> m.withQuorum((int) positive(value));
      case "auth-pass" -> m.withAuth(m.authUser(), value.isEmpty() ? null : value);
      case "auth-user" -> m.withAuth(value.isEmpty() ? null : value, m.authPass());
      default -> throw new IllegalArgumentException("Unknown option '" + option + "'");
    };
  }

  private static long positive(String s) {
    try {
      long v = Long.parseLong(s);
      if (v > 0 && v <= Integer.MAX_VALUE) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("Invalid argument '" + s + "'");
  }

  private static boolean yesNo(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "yes" -> true;
      case "no" -> false;
      default -> throw new IllegalArgumentException("expected yes or no, got '" + s + "'");
    };
  }
}
