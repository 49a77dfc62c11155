package dev.vigil.resp3.client;

import io.netty.util.ResourceLeakDetector;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Netty's buffer leak detection for the long-running processes (daemon, backup agent, operator).
 * Netty's default samples one buffer in 128 and records a stack trace for each: measured on a
 * daemon watching 500 groups, the traces alone were 3 % of its CPU, for buffers that the test
 * suite already tracks at the paranoid level on every run. A leak in production still ends the
 * process through the direct-memory cap and {@code ExitOnOutOfMemoryError}.
 */
public final class LeakDetection {
  /** The system properties Netty reads its level from (the second is its older name). */
  static final String PROPERTY = "io.netty.leakDetection.level";
  static final String LEGACY_PROPERTY = "io.netty.leakDetectionLevel";

  private LeakDetection() {}

  /**
   * Turns detection off unless a level was asked for with {@code -Dio.netty.leakDetection.level}
   * (e.g. {@code simple} or {@code paranoid} to chase a suspected leak). Call early in a main,
   * before the first Netty buffer.
   *
   * @return the level now in force
   */
  public static ResourceLeakDetector.Level offUnlessAsked() {
    override(System::getProperty).ifPresent(ResourceLeakDetector::setLevel);
    return ResourceLeakDetector.getLevel();
  }

  /** The level to set given the system properties, or empty to leave Netty's reading of them. */
  static Optional<ResourceLeakDetector.Level> override(UnaryOperator<String> properties) {
    return properties.apply(PROPERTY) == null && properties.apply(LEGACY_PROPERTY) == null
        ? Optional.of(ResourceLeakDetector.Level.DISABLED) : Optional.empty();
  }
}
