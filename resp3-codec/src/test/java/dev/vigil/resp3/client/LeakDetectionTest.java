package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The long-running processes drop Netty's sampled leak traces unless a level is asked for. */
class LeakDetectionTest {
  @Test
  void offByDefault() {
    assertThat(LeakDetection.override(Map.<String, String>of()::get)).contains(Level.DISABLED);
  }

  @Test
  void aLevelAskedForUnderEitherNameIsLeftToNetty() {
    assertThat(LeakDetection.override(Map.of(LeakDetection.PROPERTY, "paranoid")::get)).isEmpty();
    assertThat(LeakDetection.override(Map.of(LeakDetection.LEGACY_PROPERTY, "simple")::get))
        .isEmpty();
  }
}
