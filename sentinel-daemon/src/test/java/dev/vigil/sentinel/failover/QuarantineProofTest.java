package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a fresh identity's quarantine may end early, and the vote floor it must keep then. */
class QuarantineProofTest {
  private static final String ME = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);
  private static final Address SELF = new Address("10.0.0.1", 26379);
  private static final Address PB = new Address("10.0.0.2", 26379);
  private static final Address PC = new Address("10.0.0.3", 26379);

  @Test
  void incompleteAnswersProveNothing() {
    QuarantineProof p = QuarantineProof.start(ME, Set.of(PB, PC)).answered(PB, B, 4);
    assertThat(p.floor(0)).isEmpty();
    assertThat(p.floor(9)).as("not even with a high own epoch").isEmpty();
    assertThat(p.waitingFor()).containsExactly(PC);
    assertThat(QuarantineProof.start(ME, Set.of()).floor(0)).as("no list, no proof").isEmpty();
  }

  @Test
  void eachAnswerOnItsOwnBlocksTheEpochsUpToItsOwn() {
    QuarantineProof p = QuarantineProof.start(ME, Set.of(SELF, PB, PC));
    assertThat(p.partialFloor()).isEmpty();
    assertThat(p.complete()).isFalse();
    p = p.answered(SELF, ME, 9);
    assertThat(p.partialFloor()).as("our own answer adds nothing").isEqualTo(OptionalLong.of(0));
    p = p.answered(PC, C, 5).answered(PB, B, 3);
    assertThat(p.partialFloor()).isEqualTo(OptionalLong.of(5));
    assertThat(p.complete()).isTrue();
    assertThat(p.withoutAnswer(PC).partialFloor()).as("an answer not recorded")
        .isEqualTo(OptionalLong.of(3));
    assertThat(p.withoutAnswer(PC).waitingFor()).containsExactly(PC);
  }

  @Test
  void everyAnswerGivesTheHighestEpochOwnEpochIncluded() {
    QuarantineProof p = QuarantineProof.start(ME, Set.of(PB, PC))
        .answered(PB, B, 4).answered(PC, C, 2);
    assertThat(p.waitingFor()).isEmpty();
    assertThat(p.floor(0)).isEqualTo(OptionalLong.of(4));
    assertThat(p.floor(6)).as("an epoch adopted while waiting counts too")
        .isEqualTo(OptionalLong.of(6));
    assertThat(p.answered(PC, C, 1).floor(0)).as("a later, lower answer lowers nothing")
        .isEqualTo(OptionalLong.of(4));
  }

  @Test
  void theOwnAddressAnswersWithTheOwnRunIdAndAddsNothing() {
    QuarantineProof p = QuarantineProof.start(ME, Set.of(SELF, PB))
        .answered(SELF, ME, 50).answered(PB, B, 3);
    assertThat(p.waitingFor()).isEmpty();
    assertThat(p.floor(1)).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void anAddressNotConfiguredIsIgnored() {
    Address stranger = new Address("10.0.0.9", 26379);
    QuarantineProof p = QuarantineProof.start(ME, Set.of(PB)).answered(stranger, C, 8);
    assertThat(p.answers()).isEmpty();
    assertThat(p.floor(0)).isEmpty();
    assertThat(p.answered(PB, B, 1).floor(0)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void anAddressAnAnswerNamesIsWaitedForToo() {
    Address a = new Address("127.0.0.1", 26379);
    Address b = new Address("127.0.0.1", 26380);
    Address unlisted = new Address("10.0.0.9", 26379);
    QuarantineProof p = QuarantineProof.start("me", Set.of(a, b))
        .answered(a, "ra", 3, Set.of(b, unlisted))
        .answered(b, "rb", 2, Set.of(a));
    assertThat(p.waitingFor()).containsExactly(unlisted);
    assertThat(p.floor(0)).isEmpty();
    assertThat(p.answered(unlisted, "ru", 8, Set.of()).floor(0)).hasValue(8);
  }
}
