package dev.vigil.operator.validation;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyClusterSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the CRD schema cannot check (or an API server without the schema's rules would let
 * through): each problem a sentence saying what is wrong and what to do. A spec with problems gets
 * the SpecInvalid condition and an Event, and nothing of it is applied.
 */
public final class SpecValidator {
  /**
   * valkey.conf directives Vigil sets or that would break it: replication is the daemons' job,
   * the port, directory and password come from the spec, and commands the daemons need must keep
   * their names.
   */
  public static final Set<String> DENIED = Set.of("replicaof", "slaveof", "port", "bind", "dir",
      "dbfilename", "requirepass", "masterauth", "masteruser", "replica-announce-ip",
      "slave-announce-ip", "replica-announce-port", "slave-announce-port", "protected-mode",
      "daemonize", "include", "rename-command", "pidfile", "logfile", "unixsocket",
      "cluster-enabled", "supervised");

  private SpecValidator() {}

  public static List<String> problems(ValkeyClusterSpec s) {
    List<String> p = new ArrayList<>();
    if (s.replicas == null || s.replicas < 1) {
      p.add("spec.replicas must be at least 1 (got " + s.replicas + ")");
    }
    if (s.port == null || s.port < 1 || s.port > 65535) {
      p.add("spec.port must be a port number (got " + s.port + ")");
    }
    for (String key : s.config.keySet()) {
      String k = key.toLowerCase(Locale.ROOT).strip();
      if (DENIED.contains(k)) {
        p.add("spec.config." + key + " is set by Vigil and cannot be overridden; remove it");
      } else if (!k.matches("[a-z0-9-]+")) {
        p.add("spec.config key '" + key + "' is not a valkey.conf directive name");
      }
    }
    s.config.forEach((k, v) -> {
      if (v == null || v.contains("\n") || v.contains("\r")) {
        p.add("spec.config." + k + " must be a single line");
      }
    });
    quantity(p, "spec.storage.size", s.storage.size);
    SentinelSpec d = s.sentinel;
    int daemons = d.mode == SentinelSpec.Mode.deployment ? d.replicas : s.replicas == null ? 0 : s.replicas;
    if (d.quorum != null && (d.quorum < 1 || d.quorum > daemons)) {
      p.add("spec.sentinel.quorum " + d.quorum + " must be between 1 and the number of daemons ("
          + daemons + (d.mode == SentinelSpec.Mode.sidecar ? ", one per pod in sidecar mode)" : ")"));
    }
    if (d.downAfterMilliseconds == null || d.downAfterMilliseconds < 100) {
      p.add("spec.sentinel.downAfterMilliseconds must be at least 100");
    }
    if (d.failoverTimeout == null || d.downAfterMilliseconds != null
        && d.failoverTimeout < d.downAfterMilliseconds) {
      p.add("spec.sentinel.failoverTimeout must be at least downAfterMilliseconds");
    }
    if (d.mode == SentinelSpec.Mode.deployment && (d.replicas == null || d.replicas < 1)) {
      p.add("spec.sentinel.replicas must be at least 1 in deployment mode");
    }
    if (d.port != null && d.port.equals(s.port)) {
      p.add("spec.sentinel.port must differ from spec.port");
    }
    if (s.auth.existingSecret != null && s.auth.existingSecret.isBlank()) {
      p.add("spec.auth.existingSecret must name a Secret, or be left out to generate one");
    }
    p.addAll(TlsValidator.problems(s));
    return p;
  }

  private static void quantity(List<String> p, String field, String value) {
    try {
      if (value == null || Quantity.getAmountInBytes(new Quantity(value)).signum() <= 0) {
        p.add(field + " must be a positive quantity such as 1Gi (got " + value + ")");
      }
    } catch (IllegalArgumentException e) {
      p.add(field + " must be a quantity such as 1Gi (got " + value + ")");
    }
  }
}
