package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failover this daemon is running for a group.
 *
 * @param epoch the epoch it was started in (the config epoch the new master gets)
 * @param phase where it is
 * @param startedAt when it started
 * @param phaseSince when it entered this phase
 * @param forced SENTINEL FAILOVER: no agreement needed
 * @param coordinated SENTINEL FAILOVER ... COORDINATED: the master hands over with FAILOVER TO,
 *     pausing writes until the replica has every one of them (a planned switchover, no loss)
 * @param oldMaster the master being replaced
 * @param promoted the replica chosen, once chosen
 * @param reconf re-pointing progress of the other replicas (from the phase PROMOTE on: they are
 *     detached from the old master before the promotion)
 * @param fencedAt when the old master was write-paused after REPLICAOF NO ONE was sent (it
 *     answered again), or -1
 * @param promoteSentAt when REPLICAOF NO ONE was last sent again (see
 *     {@code FailoverCore.resendPromotion}), or -1
 */
public record Failover(
    long epoch,
    Phase phase,
    long startedAt,
    long phaseSince,
    boolean forced,
    boolean coordinated,
    Address oldMaster,
    Address promoted,
    Map<Address, Reconf> reconf,
    long fencedAt,
    long promoteSentAt) {

  /** Sentinel's failover states, with its names for replies and events. */
  public enum Phase {
    WAIT_START("wait_start"),
    SELECT_REPLICA("select_slave"),
    /** The other replicas are being detached; REPLICAOF NO ONE goes out once the chosen one has all they have. */
    PROMOTE("send_slaveof_noone"),
    WAIT_PROMOTION("wait_promotion"),
    RECONF_REPLICAS("reconf_slaves");

    public final String wireName;

    Phase(String wireName) {
      this.wireName = wireName;
    }
  }

  /** A replica's re-pointing: REPLICAOF sent, then seen following, then in sync. */
  public record Reconf(State state, long since) {
    public enum State { SENT, INPROG, DONE }
  }

  public Failover {
    reconf = Collections.unmodifiableMap(new LinkedHashMap<>(reconf));
  }

  public Failover(long epoch, Phase phase, long startedAt, long phaseSince, boolean forced,
      boolean coordinated, Address oldMaster, Address promoted, Map<Address, Reconf> reconf) {
    this(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster, promoted, reconf, -1,
        -1);
  }

  public boolean fenced() {
    return fencedAt >= 0;
  }

  public Failover withFencedAt(long now) {
    return new Failover(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster,
        promoted, reconf, now, promoteSentAt);
  }

  public Failover inPhase(Phase p, long now) {
    return new Failover(epoch, p, startedAt, now, forced, coordinated, oldMaster, promoted, reconf, fencedAt, promoteSentAt);
  }

  public Failover withPromoteSentAt(long now) {
    return new Failover(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster,
        promoted, reconf, fencedAt, now);
  }

  public Failover withPromoted(Address a) {
    return new Failover(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster, a, reconf, fencedAt, promoteSentAt);
  }

  public Failover withoutReconf(Address a) {
    Map<Address, Reconf> m = new LinkedHashMap<>(reconf);
    m.remove(a);
    return new Failover(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster, promoted, m, fencedAt, promoteSentAt);
  }

  public Failover withReconf(Address a, Reconf.State s, long now) {
    Map<Address, Reconf> m = new LinkedHashMap<>(reconf);
    m.put(a, new Reconf(s, now));
    return new Failover(epoch, phase, startedAt, phaseSince, forced, coordinated, oldMaster, promoted, m, fencedAt, promoteSentAt);
  }
}
