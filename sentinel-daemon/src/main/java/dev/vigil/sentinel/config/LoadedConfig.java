package dev.vigil.sentinel.config;

import dev.vigil.sentinel.state.DaemonState;
import java.util.List;

/**
 * A configuration as loaded: the daemon's settings, the state to start from (fresh, or read from
 * the state file or the sentinel.conf's state lines), and warnings about ignored directives.
 */
public record LoadedConfig(DaemonConfig config, DaemonState state, List<String> warnings) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
