package dev.vigil.sentinel.monitor;

/** The role a node reports in INFO. */
public enum NodeRole {
  MASTER,
  REPLICA,
  UNKNOWN;

  /** Sentinel's spelling in replies and events. */
  public String wireName() {
    return switch (this) {
      case MASTER -> "master";
      case REPLICA -> "slave";
      case UNKNOWN -> "unknown";
    };
  }
}
