package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/soak}'s driver for two runs on Vigil's daemons (kill -9, then SIGSTOP of the current
 * master): each fails over exactly once, nothing spurious, no WAIT-acknowledged write lost, and
 * the output has one line per run and the fixed last line. About 25 s on 2 cores.
 */
class SoakTest {
  @Test
  void twoRunsOfKillAndStopFailOverOnceEachAndLoseNothing() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    SoakOptions o = SoakOptions.parse("--runs", "2", "--fault", "kill", "--down-after", "1000");
    SoakOptions killThenStop = new SoakOptions(o.runs(), o.minutes(), o.downAfterMs(),
        java.util.List.of("kill", "stop"), false, false, WatcherKind.VIGIL, o.seed());
    SoakTotals t = new Soak(killThenStop, out, Path.of("target", "soak-logs")).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(t.runs()).isEqualTo(2);
    assertThat(t.failovers()).as(text).isEqualTo(2);
    assertThat(t.spurious()).as(text).isZero();
    assertThat(t.failed()).as(text).isZero();
    assertThat(t.lost()).as(text).isZero();
    assertThat(t.exitCode()).isZero();
    assertThat(text.lines().reduce((a, b) -> b)).contains(
        "soak: 2 runs, 2 failovers, 0 spurious, 0 failed, 0 acked writes lost");
    assertThat(text.lines().filter(l -> l.startsWith("run "))).hasSize(2)
        .anyMatch(l -> l.startsWith("run 1/2 kill n0"))
        .allMatch(l -> l.contains("1 failover(s)") && l.contains("lost 0 with WAIT"));
  }
}
