package dev.vigil.sentinel.config;

import java.time.Duration;
import java.util.List;

/**
 * Failover tunables that have no Sentinel counterpart; documented with their defaults under
 * {@code vigil.failover} in reference.conf.
 *
 * @param electionTimeoutMs how long a candidate waits for a majority before giving up its epoch
 * @param retryMinMs lower bound of the randomized back-off before a new attempt
 * @param retryMaxMs upper bound of that back-off
 * @param reportValidityMs how long a peer's "master is down" answer counts toward ODOWN
 * @param reconfSentTimeoutMs how long a replica may take to act on REPLICAOF after a failover
 * @param fastAskMs how often peers are asked while the master is SDOWN but not yet ODOWN
 * @param startStaggerMs when several daemons reach ODOWN together, each waits this long times the
 *     number of peers with a smaller run id that also see the master down before it starts an
 *     election, so the first one's vote request usually arrives before the others start
 * @param freshIdentityQuarantineMs how long a daemon that started without its state (new run
 *     id) neither votes nor starts a failover, so it cannot vote twice in an epoch it voted in
 *     before it lost its state
 * @param peers every daemon watching the same groups ({@code vigil.failover.peers}), or empty:
 *     when set, that quarantine ends as soon as each of them has told this daemon its current
 *     epoch (QuarantineProof); a daemon missing from the list could be the candidate the forgotten
 *     identity voted for, so the list must be complete
 */
public record FailoverTuning(long electionTimeoutMs, long retryMinMs, long retryMaxMs,
    long reportValidityMs, long reconfSentTimeoutMs, long fastAskMs, long startStaggerMs,
    long freshIdentityQuarantineMs, List<Address> peers) {
  public static final FailoverTuning DEFAULT =
      new FailoverTuning(2_000, 100, 1_000, 5_000, 10_000, 50, 25, 5_000);

  public FailoverTuning {
    if (electionTimeoutMs <= 0 || retryMinMs < 0 || retryMaxMs < retryMinMs
        || reportValidityMs <= 0 || reconfSentTimeoutMs <= 0 || fastAskMs <= 0
        || startStaggerMs < 0 || freshIdentityQuarantineMs < 0) {
      throw new IllegalArgumentException("invalid vigil.failover settings: election-timeout, "
          + "report-validity, reconf-sent-timeout and fast-ask-period must be positive, "
          + "0 <= retry-min <= retry-max, start-stagger and fresh-identity-quarantine >= 0");
    }
    peers = List.copyOf(new java.util.LinkedHashSet<>(peers));
  }

  /** Without a peer list: the quarantine ends by time only. */
  public FailoverTuning(long electionTimeoutMs, long retryMinMs, long retryMaxMs,
      long reportValidityMs, long reconfSentTimeoutMs, long fastAskMs, long startStaggerMs,
      long freshIdentityQuarantineMs) {
    this(electionTimeoutMs, retryMinMs, retryMaxMs, reportValidityMs, reconfSentTimeoutMs,
        fastAskMs, startStaggerMs, freshIdentityQuarantineMs, List.of());
  }

  static FailoverTuning of(Duration electionTimeout, Duration retryMin, Duration retryMax,
      Duration reportValidity, Duration reconfSentTimeout, Duration fastAsk, Duration stagger,
      Duration quarantine, List<Address> peers) {
    return new FailoverTuning(electionTimeout.toMillis(), retryMin.toMillis(), retryMax.toMillis(),
        reportValidity.toMillis(), reconfSentTimeout.toMillis(), fastAsk.toMillis(),
        stagger.toMillis(), quarantine.toMillis(), peers);
  }
}
