package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/**
 * The agreement side of a group: our vote, ODOWN, and the failover we run, if any.
 *
 * @param leader whom we voted for in the group's leader epoch, or null (not persisted: the
 *     persisted leader epoch alone prevents a second vote in that epoch after a restart)
 * @param odown objectively down: our SDOWN confirmed by quorum
 * @param odownSince since when, or -1
 * @param failover the failover this daemon runs, or null
 * @param retryNotBefore no new failover attempt before this instant (after an abort, or after
 *     voting for another candidate), or -1
 * @param lastAskAt when peers were last asked whether the master is down, or -1
 * @param replaced the master our last failover replaced, or null
 * @param replacedEpoch the config epoch that replaced it
 * @param lastFixAt per node, when it was last sent a REPLICAOF to converge it, or first seen
 *     replicating from the wrong master (a grace period before fixing, then a rate limit)
 */
public record Agreement(String leader, boolean odown, long odownSince, Failover failover,
    long retryNotBefore, long lastAskAt, Address replaced, long replacedEpoch,
    java.util.Map<Address, Long> lastFixAt) {
  public static final Agreement IDLE =
      new Agreement(null, false, -1, null, -1, -1, null, 0, java.util.Map.of());

  public Agreement {
    lastFixAt = java.util.Map.copyOf(lastFixAt);
  }

  public Agreement withLeader(String l) {
    return new Agreement(l, odown, odownSince, failover, retryNotBefore, lastAskAt, replaced,
        replacedEpoch, lastFixAt);
  }

  public Agreement withOdown(boolean down, long now) {
    return new Agreement(leader, down, down ? now : -1, failover, retryNotBefore, lastAskAt,
        replaced, replacedEpoch, lastFixAt);
  }

  public Agreement withFailover(Failover f) {
    return new Agreement(leader, odown, odownSince, f, retryNotBefore, lastAskAt, replaced,
        replacedEpoch, lastFixAt);
  }

  public Agreement withRetryNotBefore(long t) {
    return new Agreement(leader, odown, odownSince, failover, t, lastAskAt, replaced,
        replacedEpoch, lastFixAt);
  }

  public Agreement withLastAskAt(long t) {
    return new Agreement(leader, odown, odownSince, failover, retryNotBefore, t, replaced,
        replacedEpoch, lastFixAt);
  }

  /** The master this daemon just replaced, known stale: demoted the moment it answers. */
  public Agreement withReplaced(Address a, long epoch) {
    return new Agreement(leader, odown, odownSince, failover, retryNotBefore, lastAskAt, a, epoch,
        lastFixAt);
  }

  public Agreement withoutFix(Address a) {
    java.util.Map<Address, Long> m = new java.util.HashMap<>(lastFixAt);
    m.remove(a);
    return new Agreement(leader, odown, odownSince, failover, retryNotBefore, lastAskAt, replaced,
        replacedEpoch, m);
  }

  public Agreement withFix(Address a, long now) {
    java.util.Map<Address, Long> m = new java.util.HashMap<>(lastFixAt);
    m.put(a, now);
    return new Agreement(leader, odown, odownSince, failover, retryNotBefore, lastAskAt, replaced,
        replacedEpoch, m);
  }
}
