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
  void theVoteFloorSurvivesAWriteAndARead() {
    DaemonState s = new DaemonState("c".repeat(40), 2,
        Map.of("m", new GroupRecord("m", MASTER, 1, 2, List.of(), List.of())))
        .withQuarantineUntil(1_764_547_260_000L)
        .withQuarantineProven(4, 1_764_547_201_000L);
    assertThat(s.currentEpoch()).as("raised to the floor").isEqualTo(4);
    assertThat(s.quarantineUntil()).as("ended now").isEqualTo(1_764_547_201_000L);
    assertThat(StateLines.write(s, false)).contains("sentinel vigil-vote-floor 4",
        "sentinel current-epoch 4");
    assertThat(roundTrip(s, true)).isEqualTo(s);
    assertThat(roundTrip(s, false)).isEqualTo(s);
    assertThat(s.withCurrentEpoch(9).withGroup(GroupRecord.fresh("m", MASTER)).voteFloor())
        .isEqualTo(4);
    // A file whose current epoch is below its floor (edited by hand) still starts at the floor.
    DaemonState edited = StateLines.read("state", Directive.parseAll("state", List.of(
        "sentinel myid " + "c".repeat(40), "sentinel current-epoch 1",
        "sentinel vigil-vote-floor 4")), Map.of("m", MASTER), new ArrayList<>());
    assertThat(edited.currentEpoch()).isEqualTo(4);
    assertThat(edited.voteFloor()).isEqualTo(4);
  }

  @Test
  void theEndOfTheProofsAskingSurvivesAWriteAndAReadUntilTheProofIsComplete() {
    DaemonState s = new DaemonState("c".repeat(40), 2,
        Map.of("m", new GroupRecord("m", MASTER, 1, 2, List.of(), List.of())))
        .withQuarantineUntil(1_764_547_205_000L).withProofUntil(1_764_547_805_000L);
    assertThat(StateLines.write(s, false)).contains("sentinel vigil-proof-until 1764547805000");
    assertThat(roundTrip(s, true)).isEqualTo(s);
    assertThat(s.withVoteFloor(3).withCurrentEpoch(9).proofUntil()).as("kept by other changes")
        .isEqualTo(1_764_547_805_000L);
    DaemonState proven = s.withQuarantineProven(3, 1_764_547_201_000L);
    assertThat(proven.proofUntil()).as("every peer answered: asked no more").isZero();
    assertThat(StateLines.write(proven, false)).noneMatch(l -> l.contains("vigil-proof-until"));
  }

  @Test
  void aStateWithoutAQuarantineWritesNoVigilLine() {
    DaemonState s = new DaemonState("c".repeat(40), 3, Map.of("m", GroupRecord.fresh("m", MASTER)));
    assertThat(StateLines.write(s, false)).noneMatch(l -> l.contains("vigil-"));
    assertThat(roundTrip(s, false).quarantineUntil()).isZero();
  }
}
