package dev.vigil.sentinel.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One monitored master group, as configured: {@code sentinel monitor NAME HOST PORT QUORUM} and its
 * per-master directives. Defaults are Valkey Sentinel's, documented in reference.conf.
 */
public record MasterSpec(
    String name,
    Address address,
    int quorum,
    Duration downAfter,
    Duration failoverTimeout,
    int parallelSyncs,
    String authUser,
    String authPass) {

  public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(30);
  public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofMinutes(3);
  public static final int DEFAULT_PARALLEL_SYNCS = 1;

  public MasterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid master name '" + name + "'");
    }
    if (quorum < 1) {
      throw new IllegalArgumentException("Quorum must be 1 or greater.");
    }
    if (downAfter.toMillis() < 1 || failoverTimeout.toMillis() < 1 || parallelSyncs < 1) {
      throw new IllegalArgumentException(
          "down-after-milliseconds, failover-timeout and parallel-syncs must be positive");
    }
  }

  public static MasterSpec of(String name, Address address, int quorum) {
    return new MasterSpec(name, address, quorum, DEFAULT_DOWN_AFTER, DEFAULT_FAILOVER_TIMEOUT,
        DEFAULT_PARALLEL_SYNCS, null, null);
  }

  public MasterSpec withAddress(Address a) {
    return new MasterSpec(name, a, quorum, downAfter, failoverTimeout, parallelSyncs, authUser, authPass);
  }

  public MasterSpec withQuorum(int q) {
    return new MasterSpec(name, address, q, downAfter, failoverTimeout, parallelSyncs, authUser, authPass);
  }

  public MasterSpec withDownAfter(Duration d) {
    return new MasterSpec(name, address, quorum, d, failoverTimeout, parallelSyncs, authUser, authPass);
  }

  public MasterSpec withFailoverTimeout(Duration d) {
    return new MasterSpec(name, address, quorum, downAfter, d, parallelSyncs, authUser, authPass);
  }

  public MasterSpec withParallelSyncs(int n) {
    return new MasterSpec(name, address, quorum, downAfter, failoverTimeout, n, authUser, authPass);
  }

  public MasterSpec withAuth(String user, String pass) {
    return new MasterSpec(name, address, quorum, downAfter, failoverTimeout, parallelSyncs, user, pass);
  }
}
