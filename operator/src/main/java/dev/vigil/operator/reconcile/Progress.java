package dev.vigil.operator.reconcile;

import dev.vigil.operator.reconcile.CommandLedger.Outcome;
import dev.vigil.operator.reconcile.CommandLedger.State;

/** Where a command stands for a plan: to send, under way (or failed just now), or done. */
enum Progress {
  SEND, WAIT, DONE;

  /** A failed command is sent again after this long. */
  static final long RETRY_FAILED_MS = 2_000;
  /** A command still in flight after this long is taken as lost (its timeouts are shorter). */
  static final long IN_FLIGHT_LOST_MS = 30_000;

  static Progress of(Outcome o, String value, long now) {
    if (o == null) {
      return SEND;
    }
    long since = now - o.at();
    if (o.state() == State.IN_FLIGHT) {
      // Even to set another value: two commands to one slot under way at once could take
      // effect in either order (priority 0 landing after its restore to 100).
      return since >= IN_FLIGHT_LOST_MS ? SEND : WAIT;
    }
    if (!o.value().equals(value)) {
      return SEND;
    }
    if (o.state() == State.DONE) {
      return DONE;
    }
    return since >= RETRY_FAILED_MS ? SEND : WAIT;
  }
}
