package dev.vigil.operator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesWithJitterUpToTheCap() {
    Backoff low = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999999);
    assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(high.delay(1)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
    assertThat(low.delay(2)).isEqualTo(Duration.ofMillis(500));
    assertThat(low.delay(4)).isEqualTo(Duration.ofMillis(2000));
    for (int n = 7; n < 100; n++) {
      assertThat(high.delay(n)).as("capped").isLessThanOrEqualTo(Duration.ofSeconds(30));
      assertThat(low.delay(n)).as("still jittered below the cap").isEqualTo(Duration.ofSeconds(15));
    }
  }
}
