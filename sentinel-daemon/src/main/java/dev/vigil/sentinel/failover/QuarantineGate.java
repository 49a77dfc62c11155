package dev.vigil.sentinel.failover;

/**
 * The daemon's fresh-identity quarantine as its groups see it: until when it neither votes nor
 * starts a failover, and the vote floor, the highest epoch in which it must never vote. A daemon
 * with state has no quarantine and floor 0. One owner (the daemon) ends the quarantine; the
 * groups' loops only read it, so both fields are volatile and written in the order that keeps
 * every reader safe: the floor before the end.
 */
public final class QuarantineGate {
  private volatile long floor;
  private volatile long until;

  /**
   * @param until monotonic ms until which the daemon abstains, or -1
   * @param floor the persisted vote floor (0: none)
   */
  public QuarantineGate(long until, long floor) {
    this.until = until;
    this.floor = floor;
  }

  /** No quarantine and no floor. */
  public static QuarantineGate open() {
    return new QuarantineGate(-1, 0);
  }

  public boolean abstaining(long now) {
    return now < until;
  }

  /** Until when the daemon abstains (monotonic ms), or -1. */
  public long until() {
    return until;
  }

  /** The highest epoch this identity never votes in (0: none). */
  public long floor() {
    return floor;
  }

  /**
   * Raises the floor (the caller has persisted it first): one peer's answer to the quarantine's
   * query, during the quarantine or after its timed end.
   */
  public void raiseFloor(long newFloor) {
    if (newFloor > floor) {
      floor = newFloor;
    }
  }

  /**
   * Ends the quarantine early with the floor its proof gave. The caller has persisted the floor
   * (and the current epoch at least as high) first: a restart must never forget it.
   */
  public void endWithFloor(long newFloor) {
    raiseFloor(newFloor);
    until = -1;
  }
}
