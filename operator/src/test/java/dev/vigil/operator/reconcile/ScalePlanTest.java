package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.CommandLedger.Outcome;
import dev.vigil.operator.reconcile.CommandLedger.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Changes of size as a pure function: no server, no node, no clock but a number. */
class ScalePlanTest {
  private static final long NOW = 1_000_000;

  private static List<NodeView> nodes(int n) {
    List<NodeView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new NodeView("c-" + i, i, "uid-" + i, true, new HostPort("10.0.0." + i, 6379)));
    }
    return out;
  }

  private static Map<String, Outcome> done(String value, int... ordinals) {
    Map<String, Outcome> m = new HashMap<>();
    for (int i : ordinals) {
      m.put("priority:uid-" + i, new Outcome(value, State.DONE, NOW - 1));
    }
    return m;
  }

  private static List<String> targets(ScalePlan.Step s) {
    return s.commands().stream().map(c -> ((Command.ConfigSet) c).node().host() + "=" + c.value()).toList();
  }

  @Test
  void growingOrStayingNeedsNothing() {
    ScalePlan.Step s = ScalePlan.next(5, 3, "c-0", nodes(3), Decisions.NONE, Map.of(), "100", NOW);
    assertThat(s.hold()).isNull();
    assertThat(s.commands()).isEmpty();
    assertThat(s.decisions()).isEqualTo(Decisions.NONE);
  }

  @Test
  void nothingShrinksWhileTheMasterIsUnknown() {
    ScalePlan.Step s = ScalePlan.next(3, 5, null, nodes(5), Decisions.NONE, Map.of(), "100", NOW);
    assertThat(s.hold()).contains("waiting for the daemons to report the master");
    assertThat(s.commands()).isEmpty();
    assertThat(s.decisions().scaleInTo()).isEqualTo(3);
  }

  @Test
  void thePodsToGoAreLoweredAndRecordedBeforeAnythingElse() {
    ScalePlan.Step s = ScalePlan.next(3, 5, "c-4", nodes(5), Decisions.NONE, Map.of(), "100", NOW);
    assertThat(s.hold()).contains("lowering replica-priority");
    assertThat(s.moveMasterOff()).as("no switchover before the lowering took").isNull();
    assertThat(targets(s)).containsExactlyInAnyOrder("10.0.0.3=0", "10.0.0.4=0");
    assertThat(s.decisions().lowered()).containsExactly("c-3", "c-4");

    // In flight: nothing sent twice, still holding.
    Map<String, Outcome> inFlight = Map.of("priority:uid-3", new Outcome("0", State.IN_FLIGHT, NOW),
        "priority:uid-4", new Outcome("0", State.IN_FLIGHT, NOW));
    ScalePlan.Step waiting = ScalePlan.next(3, 5, "c-4", nodes(5), s.decisions(), inFlight, "100", NOW + 10);
    assertThat(waiting.commands()).isEmpty();
    assertThat(waiting.hold()).contains("lowering");
  }

  @Test
  void theMasterMovesOffAPodToGoOnlyOnceThePodsAreUnpromotable() {
    Decisions lowered = new Decisions(List.of("c-3", "c-4"), 3, null);
    ScalePlan.Step s = ScalePlan.next(3, 5, "c-4", nodes(5), lowered, done("0", 3, 4), "100", NOW);
    assertThat(s.hold()).isEqualTo("moving the master off c-4 before scaling in to 3");
    assertThat(s.moveMasterOff()).isEqualTo("c-4");
    assertThat(s.commands()).isEmpty();

    ScalePlan.Step go = ScalePlan.next(3, 5, "c-1", nodes(5), lowered, done("0", 3, 4), "100", NOW);
    assertThat(go.hold()).isNull();
    assertThat(go.moveMasterOff()).isNull();
  }

  @Test
  void aFailedLoweringIsRetriedAfterAPauseAndAnUnreachablePodIsNotWaitedFor() {
    Map<String, Outcome> failed = Map.of("priority:uid-3", new Outcome("0", State.FAILED, NOW));
    List<NodeView> nodes = new ArrayList<>(nodes(4));
    nodes.set(3, new NodeView("c-3", 3, "uid-3", true, new HostPort("10.0.0.3", 6379)));
    assertThat(ScalePlan.next(3, 4, "c-0", nodes, Decisions.NONE, failed, "100", NOW + 1).commands()).isEmpty();
    assertThat(targets(ScalePlan.next(3, 4, "c-0", nodes, Decisions.NONE, failed, "100",
        NOW + Progress.RETRY_FAILED_MS))).containsExactly("10.0.0.3=0");
    nodes.set(3, new NodeView("c-3", 3, "uid-3", false, null));
    ScalePlan.Step gone = ScalePlan.next(3, 4, "c-0", nodes, Decisions.NONE, failed, "100", NOW + 1);
    assertThat(gone.hold()).isNull();
  }

  @Test
  void aCancelledScaleInRestoresThePrioritiesAndForgetsThemOnceRestored() {
    Decisions lowered = new Decisions(List.of("c-3", "c-4"), 3, null);
    ScalePlan.Step s = ScalePlan.next(5, 5, "c-0", nodes(5), lowered, done("0", 3, 4), "50", NOW);
    assertThat(targets(s)).containsExactlyInAnyOrder("10.0.0.3=50", "10.0.0.4=50");
    assertThat(s.decisions().lowered()).as("kept until restored").containsExactly("c-3", "c-4");
    assertThat(s.decisions().scaleInTo()).isNull();

    ScalePlan.Step restored = ScalePlan.next(5, 5, "c-0", nodes(5), s.decisions(), done("50", 3, 4), "50", NOW);
    assertThat(restored.commands()).isEmpty();
    assertThat(restored.decisions()).isEqualTo(Decisions.NONE);
  }

  @Test
  void aShrunkScaleInRestoresOnlyThePodsThatNowStay() {
    // 5 -> 1 was under way (c-1..c-4 lowered); now 5 -> 3: c-1 and c-2 stay.
    Decisions lowered = new Decisions(List.of("c-1", "c-2", "c-3", "c-4"), 1, null);
    ScalePlan.Step s = ScalePlan.next(3, 5, "c-0", nodes(5), lowered, done("0", 1, 2, 3, 4), "100", NOW);
    assertThat(targets(s)).containsExactlyInAnyOrder("10.0.0.1=100", "10.0.0.2=100");
    assertThat(s.hold()).isNull();
    assertThat(s.decisions().scaleInTo()).isEqualTo(3);
  }

  @Test
  void aRestoreWaitsForTheLoweringStillUnderWay() {
    // Both under way at once could land in either order: 0 after 100 would stick.
    Decisions lowered = new Decisions(List.of("c-3"), 3, null);
    Map<String, Outcome> lowering = Map.of("priority:uid-3", new Outcome("0", State.IN_FLIGHT, NOW));
    ScalePlan.Step s = ScalePlan.next(5, 5, "c-0", nodes(5), lowered, lowering, "100", NOW + 1);
    assertThat(s.commands()).isEmpty();
    assertThat(s.decisions().lowered()).containsExactly("c-3");
    Map<String, Outcome> lowered0 = Map.of("priority:uid-3", new Outcome("0", State.DONE, NOW + 2));
    assertThat(targets(ScalePlan.next(5, 5, "c-0", nodes(5), lowered, lowered0, "100", NOW + 3)))
        .containsExactly("10.0.0.3=100");
  }

  @Test
  void podsThatWentAreForgotten() {
    Decisions lowered = new Decisions(List.of("c-3", "c-4"), 3, null);
    ScalePlan.Step s = ScalePlan.next(3, 3, "c-0", nodes(3), lowered, Map.of(), "100", NOW);
    assertThat(s.decisions()).isEqualTo(Decisions.NONE);
  }

  @Test
  void aPodMadeAgainUnderTheSameNameIsLoweredAgain() {
    // c-4 was lowered, then restarted (a new uid): its configuration says 100 again.
    List<NodeView> nodes = new ArrayList<>(nodes(5));
    nodes.set(4, new NodeView("c-4", 4, "uid-4b", true, new HostPort("10.0.0.4", 6379)));
    ScalePlan.Step s = ScalePlan.next(3, 5, "c-0", nodes, new Decisions(List.of("c-3", "c-4"), 3, null),
        done("0", 3, 4), "100", NOW);
    assertThat(targets(s)).containsExactly("10.0.0.4=0");
    assertThat(s.hold()).contains("lowering");
  }
}
