package dev.vigil.sentinel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables that override configuration keys, for what a Kubernetes pod knows only
 * at run time (its IP, its ports). They win over the file, whichever syntax it uses.
 */
public final class EnvOverrides {
  /** Variable → key under {@code vigil}. Documented beside each key in reference.conf. */
  public static final Map<String, String> VARIABLES = Map.of(
      "VIGIL_PORT", "port",
      "VIGIL_TLS_PORT", "tls.port",
      "VIGIL_HTTP_PORT", "http-port",
      "VIGIL_ANNOUNCE_IP", "announce-ip",
      "VIGIL_ANNOUNCE_PORT", "announce-port",
      "VIGIL_ANNOUNCE_HOSTNAMES", "announce-hostnames",
      "VIGIL_RESOLVE_HOSTNAMES", "resolve-hostnames",
      "VIGIL_REQUIREPASS", "requirepass",
      "VIGIL_STATE_FILE", "state-file",
      "VIGIL_AUTH_PASS", "master-defaults.auth-pass");

  private EnvOverrides() {}

  public static Config from(Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    VARIABLES.forEach((var, key) -> {
      String v = env.get(var);
      if (v != null) {
        values.put("vigil." + key, v);
      }
    });
    return ConfigFactory.parseMap(values, "environment");
  }
}
