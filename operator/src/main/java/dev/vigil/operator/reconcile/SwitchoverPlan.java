package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.CommandLedger.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether to ask the daemons for a coordinated switchover now, as a pure function. A request is
 * repeated at most every {@link #RETRY_MS} while the master must still move, counted from the
 * request recorded in {@link Decisions}, so a restarted operator does not ask again at once; the
 * record is dropped once no move is needed.
 */
final class SwitchoverPlan {
  static final long RETRY_MS = 10_000;

  private SwitchoverPlan() {}

  record Step(Optional<Command> command, Decisions decisions) {}

  /** @param moveOff the master pod that must hand its role over, or null when none must */
  static Step next(String moveOff, Decisions d, Map<String, Outcome> ledger, long now, String masterName,
      List<HostPort> daemons) {
    if (moveOff == null) {
      return new Step(Optional.empty(), d.withSwitchover(null));
    }
    Decisions.Switchover last = d.switchover();
    boolean recent = last != null && last.from().equals(moveOff) && now - last.at() < RETRY_MS;
    if (recent || Progress.of(ledger.get("switchover"), moveOff, now) == Progress.WAIT) {
      return new Step(Optional.empty(), d);
    }
    return new Step(Optional.of(new Command.Switchover(moveOff, masterName, daemons)),
        d.withSwitchover(new Decisions.Switchover(moveOff, now)));
  }
}
