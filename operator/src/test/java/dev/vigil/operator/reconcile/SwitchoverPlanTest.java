package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.CommandLedger.Outcome;
import dev.vigil.operator.reconcile.CommandLedger.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** At most one switchover request per retry period, also across an operator restart. */
class SwitchoverPlanTest {
  private static final List<HostPort> DAEMONS = List.of(new HostPort("10.0.0.1", 26379));

  @Test
  void aRequestIsRecordedAndNotRepeatedWithinTheRetryPeriod() {
    SwitchoverPlan.Step first = SwitchoverPlan.next("c-4", Decisions.NONE, Map.of(), 1000, "c", DAEMONS);
    assertThat(first.command()).contains(new Command.Switchover("c-4", "c", DAEMONS));
    assertThat(first.decisions().switchover()).isEqualTo(new Decisions.Switchover("c-4", 1000));

    // A new operator (empty ledger) reads the recorded request and waits as the old one would.
    SwitchoverPlan.Step restarted = SwitchoverPlan.next("c-4", first.decisions(), Map.of(), 1000 + 5_000, "c",
        DAEMONS);
    assertThat(restarted.command()).isEmpty();
    assertThat(restarted.decisions()).isEqualTo(first.decisions());

    SwitchoverPlan.Step again = SwitchoverPlan.next("c-4", first.decisions(), Map.of(),
        1000 + SwitchoverPlan.RETRY_MS, "c", DAEMONS);
    assertThat(again.command()).isPresent();
  }

  @Test
  void noRequestWhileOneIsInFlightAndTheRecordGoesWhenNoMoveIsNeeded() {
    Decisions d = new Decisions(List.of(), 3, new Decisions.Switchover("c-4", 0));
    Map<String, Outcome> inFlight = Map.of("switchover", new Outcome("c-4", State.IN_FLIGHT, 20_000));
    assertThat(SwitchoverPlan.next("c-4", d, inFlight, 20_001, "c", DAEMONS).command()).isEmpty();
    SwitchoverPlan.Step done = SwitchoverPlan.next(null, d, Map.of(), 20_001, "c", DAEMONS);
    assertThat(done.command()).isEmpty();
    assertThat(done.decisions().switchover()).isNull();
    assertThat(done.decisions().scaleInTo()).isEqualTo(3);
  }

  @Test
  void aNewMasterThatMustMoveIsAskedAtOnce() {
    Decisions d = new Decisions(List.of(), null, new Decisions.Switchover("c-2", 1000));
    assertThat(SwitchoverPlan.next("c-0", d, Map.of(), 1001, "c", DAEMONS).command()).isPresent();
  }
}
