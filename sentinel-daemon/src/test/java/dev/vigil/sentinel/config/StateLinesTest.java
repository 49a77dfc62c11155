package dev.vigil.sentinel.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.state.DaemonState;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state lines round trip, the quarantine's recorded end included. */
class StateLinesTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);

  private static DaemonState roundTrip(DaemonState s, boolean withMasterAddress) {
    List<String> lines = StateLines.write(s, withMasterAddress);
    List<String> warnings = new ArrayList<>();
    DaemonState back = StateLines.read("state", Directive.parseAll("state", lines),
        Map.of("m", MASTER), warnings);
    assertThat(warnings).isEmpty();
    return back;
  }

  @Test
  void theQuarantineEndSurvivesAWriteAndARead() {
    DaemonState s = new DaemonState("c".repeat(40), 3,
        Map.of("m", new GroupRecord("m", MASTER, 2, 3, List.of(), List.of())))
        .withQuarantineUntil(1_764_547_205_000L);
    assertThat(StateLines.write(s, true)).contains("sentinel vigil-quarantine-until 1764547205000");
    assertThat(roundTrip(s, true)).isEqualTo(s);
    assertThat(roundTrip(s, false)).isEqualTo(s);
    // Every later state change keeps it: it is part of the identity's state, not of one write.
    assertThat(s.withCurrentEpoch(9).withGroup(GroupRecord.fresh("m", MASTER)).quarantineUntil())
        .isEqualTo(1_764_547_205_000L);
  }

  @Test
  void aStateWithoutAQuarantineWritesNoVigilLine() {
    DaemonState s = new DaemonState("c".repeat(40), 3, Map.of("m", GroupRecord.fresh("m", MASTER)));
    assertThat(StateLines.write(s, false)).noneMatch(l -> l.contains("quarantine"));
    assertThat(roundTrip(s, false).quarantineUntil()).isZero();
  }
}
