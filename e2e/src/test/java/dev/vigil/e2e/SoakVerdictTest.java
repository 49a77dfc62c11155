package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
  @Test
  void oneSwitchAwayFromTheFaultedMasterIsOneFailoverWhateverHowManyWatchersPublishIt() {
    List<SwitchEvent> events = List.of(new SwitchEvent(0, "n0", "n1", 1),
        new SwitchEvent(1, "n0", "n1", 2), new SwitchEvent(2, "n0", "n1", 3));
    SoakVerdict v = SoakVerdict.of("n0", events, true, true, 0, 12);
    assertThat(v.failovers()).isEqualTo(1);
    assertThat(v.spurious()).isZero();
    assertThat(v.failed()).isFalse();
    assertThat(v.lostWithoutWait()).isEqualTo(12);
  }

  @Test
  void aSwitchAwayFromTheHealthyNewMasterIsSpuriousOncePerDistinctSwitch() {
    List<SwitchEvent> events = List.of(new SwitchEvent(0, "n0", "n1", 1),
        new SwitchEvent(1, "n0", "n1", 2), new SwitchEvent(0, "n1", "n2", 3),
        new SwitchEvent(1, "n1", "n2", 4), new SwitchEvent(2, "n0", "n2", 5));
    SoakVerdict v = SoakVerdict.of("n0", events, true, true, 0, 0);
    assertThat(v.spurious()).isEqualTo(1);
    assertThat(v.spuriousSwitches()).containsExactly("n1->n2");
    assertThat(v.failovers()).isEqualTo(2);
  }

  @Test
  void noWritableMasterInTimeOrNoConvergenceIsAFailedFailover() {
    assertThat(SoakVerdict.of("n0", List.of(), false, true, 0, 0).failed()).isTrue();
    assertThat(SoakVerdict.of("n0", List.of(new SwitchEvent(0, "n0", "n1", 1)), true, false, 0, 0)
        .failed()).isTrue();
    assertThat(SoakVerdict.of("n0", List.of(), false, true, 0, 0).failovers()).isZero();
  }

  @Test
  void totalsEndInTheFixedLineAndFailOnAnythingSpuriousFailedOrLost() {
    SoakTotals clean = SoakTotals.NONE.plus(SoakVerdict.of("n0",
        List.of(new SwitchEvent(0, "n0", "n1", 1)), true, true, 0, 3));
    assertThat(clean.line()).isEqualTo("soak: 1 runs, 1 failovers, 0 spurious, 0 failed, 0 acked writes lost");
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.lostWithoutWait()).isEqualTo(3);
    SoakTotals lost = clean.plus(SoakVerdict.of("n1", List.of(new SwitchEvent(0, "n1", "n2", 1)),
        true, true, 2, 2));
    assertThat(lost.line()).endsWith("2 runs, 2 failovers, 0 spurious, 0 failed, 2 acked writes lost");
    assertThat(lost.exitCode()).isEqualTo(1);
    SoakTotals spurious = SoakTotals.NONE.plus(SoakVerdict.of("n0",
        List.of(new SwitchEvent(0, "n0", "n1", 1), new SwitchEvent(0, "n1", "n0", 2)), true, true, 0, 0));
    assertThat(spurious.exitCode()).isEqualTo(1);
  }

  @Test
  void optionsFollowTheIssuesInterface() {
    SoakOptions o = SoakOptions.parse("--runs", "5", "--down-after", "250", "--fault", "all",
        "--cpu-stress", "--watcher", "redis-sentinel", "--seed", "7");
    assertThat(o.runs()).isEqualTo(5);
    assertThat(o.downAfterMs()).isEqualTo(250);
    assertThat(o.cpuStress()).isTrue();
    assertThat(o.watcher()).isEqualTo(WatcherKind.REDIS_SENTINEL);
    assertThat(List.of(o.faultOf(1), o.faultOf(2), o.faultOf(3), o.faultOf(4)))
        .containsExactly("kill", "stop", "partition", "kill");
    assertThat(SoakOptions.parse("--minutes", "3", "--gc-pressure").watcher().javaOpts())
        .isEqualTo(WatcherKind.GC_PRESSURE_JAVA_OPTS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SoakOptions.parse("--fault", "kill"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
