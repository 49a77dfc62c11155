package dev.vigil.e2e.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
  private static final long MS = 1_000_000L;

  @Test
  void reportsLostWritesWithAndWithoutWait() {
    History h = new History();
    h.record(new Ack("w", "w:1", "n0", 0, true));
    h.record(new Ack("w", "w:2", "n0", 10 * MS, false));
    h.record(new Ack("w", "w:3", "n1", 20 * MS, true));
    HistoryChecker.Report r = HistoryChecker.check(h, Set.of("w:1", "w:3"));
    assertThat(r.lost()).extracting(Ack::value).containsExactly("w:2");
    assertThat(r.lostWithWait()).isEmpty();
    assertThat(r.acked()).isEqualTo(3);
    assertThat(r.ackedWithWait()).isEqualTo(2);
  }

  @Test
  void measuresHowLongTwoNodesBothAcknowledged() {
    History h = new History();
    for (long t = 0; t <= 3_000; t += 100) {
      h.record(new Ack("a", "a:" + t, "n0", t * MS, false));
    }
    for (long t = 2_000; t <= 5_000; t += 100) {
      h.record(new Ack("b", "b:" + t, "n1", t * MS, t > 3_000));
    }
    HistoryChecker.Report r = HistoryChecker.check(h, Set.of());
    assertThat(r.dualMasterMs()).isEqualTo(1_000);
    assertThat(r.dualMasterWithWaitMs()).isZero();
  }

  /** A master that hands over and gets it back (flapping) is not two masters at once. */
  @Test
  void successiveMastersDoNotOverlap() {
    History h = new History();
    for (long t = 0; t < 1_000; t += 100) {
      h.record(new Ack("a", "a:" + t, "n0", t * MS, true));
    }
    for (long t = 2_500; t < 3_500; t += 100) {
      h.record(new Ack("a", "b:" + t, "n1", t * MS, true));
    }
    for (long t = 5_000; t < 6_000; t += 100) {
      h.record(new Ack("a", "c:" + t, "n0", t * MS, true));
    }
    assertThat(HistoryChecker.check(h, Set.of()).dualMasterMs()).isZero();
  }
}
