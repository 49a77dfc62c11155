package dev.vigil.sentinel.config;

import dev.vigil.sentinel.state.DaemonState;
import java.util.List;

/**
 * A configuration as loaded: the daemon's settings, the state to start from (fresh, or read from
 * the state file or the sentinel.conf's state lines), and warnings about ignored directives.
 * {@code freshIdentity} says the run id was just generated: no earlier state was found.
 */
public record LoadedConfig(DaemonConfig config, DaemonState state, List<String> warnings,
    boolean freshIdentity) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
