package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The restart rule of the fresh-identity quarantine (the election model's -DQ_SURVIVES_RESTART,
 * now the code): a restart within it keeps the rest, never more than one full quarantine.
 */
class QuarantineTest {
  private static final long Q = 5_000;
  private static final long WALL = 1_764_547_200_000L;

  @Test
  void aNewIdentityStartsAFullQuarantine() {
    assertThat(Quarantine.remainingMs(true, 0, WALL, Q)).isEqualTo(Q);
    // Whatever a file without an identity might say: the new identity knows nothing.
    assertThat(Quarantine.remainingMs(true, WALL + 1_000, WALL, Q)).isEqualTo(Q);
  }

  @Test
  void aRestartWithinTheQuarantineKeepsWhatIsLeftOfIt() {
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL + 2_000, Q)).isEqualTo(3_000);
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL + Q - 1, Q)).isEqualTo(1);
  }

  @Test
  void aRestartAfterItsEndOrWithoutOneRecordedDoesNotAbstain() {
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL + Q, Q)).isZero();
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL + 60_000, Q)).isZero();
    assertThat(Quarantine.remainingMs(false, 0, WALL, Q)).isZero();
  }

  @Test
  void aWallClockSetBackStretchesItToOneQuarantineAtMost() {
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL - 3_600_000, Q)).isEqualTo(Q);
    // Quarantine switched off in the configuration: a recorded end no longer holds.
    assertThat(Quarantine.remainingMs(false, WALL + Q, WALL, 0)).isZero();
  }
}
