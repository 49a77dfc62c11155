package dev.vigil.sentinel.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TILT as a value: entered by a stall, extended by another, left a period after the last. */
class TiltStateTest {
  private static final Duration TRIGGER = Duration.ofSeconds(2);
  private static final Duration PERIOD = Duration.ofSeconds(30);

  @Test
  void aStallEntersTiltAndThePeriodCountsFromTheLastStall() {
    TiltState t = TiltState.NEVER.afterTickGap(2_000, 1_000, TRIGGER);
    assertThat(t).isEqualTo(TiltState.NEVER); // a gap of exactly the trigger is no stall
    assertThat(t.sinceSeconds(1_000)).isEqualTo(-1);

    t = t.afterTickGap(2_001, 10_000, TRIGGER);
    assertThat(t.active()).isTrue();
    assertThat(t.total()).isEqualTo(1);
    assertThat(t.sinceSeconds(12_500)).isEqualTo(2);

    t = t.afterTickGap(5_000, 20_000, TRIGGER); // a second stall inside TILT: same TILT, later end
    assertThat(t.total()).isEqualTo(1);
    assertThat(t.at(49_999, PERIOD).active()).isTrue();
    assertThat(t.sinceSeconds(49_999)).isEqualTo(39);

    TiltState left = t.at(50_000, PERIOD);
    assertThat(left.active()).isFalse();
    assertThat(left.total()).isEqualTo(1);
    assertThat(left.sinceSeconds(50_000)).isEqualTo(-1);
    assertThat(left.afterTickGap(3_000, 60_000, TRIGGER).total()).isEqualTo(2);
  }
}
