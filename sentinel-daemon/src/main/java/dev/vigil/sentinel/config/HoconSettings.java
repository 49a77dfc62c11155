package dev.vigil.sentinel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link DaemonConfig} from a resolved HOCON tree rooted at {@code vigil}. */
final class HoconSettings {
  private HoconSettings() {}

  static DaemonConfig read(Config root, Path stateFile, DaemonConfig.Format format,
      List<MasterSpec> masters) {
    Config c = root.getConfig("vigil");
    Config t = c.getConfig("timing");
    Timing timing = new Timing(t.getDuration("ping-period"), t.getDuration("info-period"),
        t.getDuration("fast-info-period"), t.getDuration("publish-period"),
        t.getDuration("ask-period"), t.getDuration("tick-period"), t.getDuration("tilt-trigger"),
        t.getDuration("tilt-period"));
    return new DaemonConfig(
        port(c, "port"),
        c.getStringList("bind"),
        c.getInt("http-port"),
        emptyToNull(c.getString("announce-ip")),
        c.getInt("announce-port"),
        c.getBoolean("announce-hostnames"),
        c.getBoolean("resolve-hostnames"),
        emptyToNull(c.getString("requirepass")),
        emptyToNull(c.getString("sentinel-user")),
        emptyToNull(c.getString("sentinel-pass")),
        c.getDuration("forget-after"),
        timing,
        failover(c.getConfig("failover")),
        masters,
        stateFile,
        format,
        tls(c.getConfig("tls")));
  }

  private static TlsSettings tls(Config t) {
    try {
      return new TlsSettings(port(t, "port"),
          path(t, "cert-file"), path(t, "key-file"), emptyToNull(t.getString("key-file-pass")),
          path(t, "ca-cert-file"), path(t, "ca-cert-dir"),
          TlsSettings.ClientAuth.parse(t.getString("auth-clients")),
          t.getBoolean("replication"),
          split(t.getString("protocols"), "\\s+"),
          split(t.getString("ciphers"), ":"),
          split(t.getString("ciphersuites"), ":"),
          t.getBoolean("prefer-server-ciphers"),
          path(t, "client-cert-file"), path(t, "client-key-file"),
          t.getDuration("reload-period"),
          TlsPorts.of(t.getIntList("ports")));
    } catch (IllegalArgumentException e) {
      throw new BadValue(t.origin(), "vigil.tls", e.getMessage(), e);
    }
  }

  private static Path path(Config c, String key) {
    String s = emptyToNull(c.getString(key));
    return s == null ? null : Path.of(s);
  }

  private static List<String> split(String s, String separator) {
    List<String> out = new ArrayList<>();
    for (String part : s.strip().split(separator)) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  private static FailoverTuning failover(Config f) {
    try {
      return FailoverTuning.of(f.getDuration("election-timeout"), f.getDuration("retry-min"),
          f.getDuration("retry-max"), f.getDuration("report-validity"),
          f.getDuration("reconf-sent-timeout"), f.getDuration("fast-ask-period"),
          f.getDuration("start-stagger"), f.getDuration("fresh-identity-quarantine"),
          peers(f));
    } catch (IllegalArgumentException e) {
      throw new BadValue(f.origin(), "vigil.failover", e.getMessage(), e);
    }
  }

  private static List<Address> peers(Config f) {
    List<Address> out = new ArrayList<>();
    for (String s : f.getStringList("peers")) {
      try {
        out.add(Address.parse(s));
      } catch (IllegalArgumentException e) {
        throw new BadValue(f.getValue("peers").origin(), "vigil.failover.peers", e.getMessage(), e);
      }
    }
    return out;
  }

  /** The groups under {@code vigil.masters}, each falling back to {@code master-defaults}. */
  static List<MasterSpec> masters(Config root) {
    Config c = root.getConfig("vigil");
    Config defaults = c.getConfig("master-defaults");
    ConfigObject masters = c.getObject("masters");
    List<MasterSpec> out = new ArrayList<>();
    for (String name : masters.keySet()) {
      Config m = masters.toConfig().getConfig(quote(name)).withFallback(defaults);
      try {
        out.add(new MasterSpec(name,
            new Address(m.getString("host"), port(m, "port")),
            m.getInt("quorum"),
            Duration.ofMillis(m.getLong("down-after-milliseconds")),
            Duration.ofMillis(m.getLong("failover-timeout")),
            m.getInt("parallel-syncs"),
            emptyToNull(m.getString("auth-user")),
            emptyToNull(m.getString("auth-pass"))));
      } catch (IllegalArgumentException e) {
        throw new BadValue(m.origin(), "vigil.masters." + name, e.getMessage(), e);
      }
    }
    return out;
  }

  /** Master-level defaults, for groups added by a sentinel.conf or at run time. */
  static MasterSpec defaults(Config root, String name, Address address, int quorum) {
    Config d = root.getConfig("vigil.master-defaults");
    return new MasterSpec(name, address, quorum,
        Duration.ofMillis(d.getLong("down-after-milliseconds")),
        Duration.ofMillis(d.getLong("failover-timeout")),
        d.getInt("parallel-syncs"),
        emptyToNull(d.getString("auth-user")),
        emptyToNull(d.getString("auth-pass")));
  }

  private static int port(Config c, String key) {
    int p = c.getInt(key);
    if (p < 0 || p > 65535) {
      throw new BadValue(c.origin(), key, "port out of range: " + p);
    }
    return p;
  }

  private static String quote(String key) {
    return "\"" + key.replace("\"", "\\\"") + "\"";
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
