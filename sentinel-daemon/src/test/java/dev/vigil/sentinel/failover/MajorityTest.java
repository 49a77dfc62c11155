package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one majority rule: two disjoint sets of voters can never both reach it. */
class MajorityTest {
  @Test
  void moreThanHalfOfEveryKnownDaemon() {
    assertThat(Election.majority(1)).isEqualTo(1);
    assertThat(Election.majority(2)).isEqualTo(2);
    assertThat(Election.majority(3)).isEqualTo(2);
    assertThat(Election.majority(4)).isEqualTo(3);
    assertThat(Election.majority(5)).isEqualTo(3);
    for (int voters = 1; voters <= 100; voters++) {
      int m = Election.majority(voters);
      assertThat(2 * m).as("two disjoint majorities of %d", voters).isGreaterThan(voters);
      assertThat(2 * (m - 1)).as("one vote fewer is no majority of %d", voters)
          .isLessThanOrEqualTo(voters);
    }
  }
}
