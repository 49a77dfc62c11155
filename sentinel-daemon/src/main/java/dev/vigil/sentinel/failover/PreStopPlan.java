package dev.vigil.sentinel.failover;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeReadiness;

/**
 * What a pod's preStop hook does next for the node about to stop, from the group as this daemon
 * sees it now: the HTTP hook ({@code PreStopSwitchover}) and the simulation take the same step, a
 * tick-period apart (the group's state changes no faster).
 */
public final class PreStopPlan {
  /** No switchover asked for yet (a monotonic clock may be negative: no -1). */
  public static final long NEVER = Long.MIN_VALUE;

  private PreStopPlan() {}

  /** The next step. */
  public sealed interface Step {}

  /** Another node is master: the stopping one may go. */
  public record HandedOver(Address master) implements Step {}

  /** The deadline passed: the master stops without a handover (the daemons fail over then). */
  public record GiveUp() implements Step {}

  /** Ask for a coordinated switchover (SENTINEL FAILOVER ... COORDINATED), then look again. */
  public record AskSwitchover() implements Step {}

  /** A switchover is under way, or the last one aborted recently: look again. */
  public record Wait() implements Step {}

  /**
   * @param lastAsk when the hook last asked for a switchover, or {@link #NEVER}
   * @param retryMs how long after an ask one that aborted is asked for again: the failover
   *     back-off's upper bound, as the daemon itself would retry an automatic one
   */
  public static Step next(GroupState g, String host, int port, long now, long deadline,
      long lastAsk, long retryMs) {
    if (!NodeReadiness.sameNode(g.masterAddress(), host, port)) {
      return new HandedOver(g.masterAddress());
    }
    if (now >= deadline) {
      return new GiveUp();
    }
    if (g.agreement().failover() == null && (lastAsk == NEVER || now - lastAsk >= retryMs)) {
      // Not asked yet, or the last attempt aborted (no replica in sync yet, say): again.
      return new AskSwitchover();
    }
    return new Wait();
  }
}
