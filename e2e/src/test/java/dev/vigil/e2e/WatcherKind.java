package dev.vigil.e2e;

import dev.vigil.testkit.ServerBinary;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link DaemonProcess} runs: Vigil's daemon through {@code bin/vigil sentinel} with the
 * given JVM options, or Sentinel itself ({@code redis-sentinel}/{@code valkey-sentinel}) on the
 * same sentinel.conf, so that both can be measured on one topology.
 */
record WatcherKind(String name, String javaOpts) {
  /** The e2e default: a small heap, and C1 only, which starts faster on 2 shared cores. */
  static final String VIGIL_JAVA_OPTS = "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
  /**
   * GC pressure: the smallest heap the daemon runs a group in without OutOfMemoryError, so that
   * young collections come several times a second and old ones regularly.
   */
  static final String GC_PRESSURE_JAVA_OPTS = "-Xmx16m -Xmn2m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  static final WatcherKind VIGIL = new WatcherKind("vigil", VIGIL_JAVA_OPTS);
  static final WatcherKind REDIS_SENTINEL = new WatcherKind("redis-sentinel", null);

  static WatcherKind vigil(String javaOpts) {
    return new WatcherKind("vigil", javaOpts);
  }

  boolean isSentinel() {
    return javaOpts == null;
  }

  /** The command line that runs this watcher on {@code conf}. */
  List<String> command(Path root, Path conf) {
    return isSentinel() ? List.of(ServerBinary.sentinel().toString(), conf.toString())
        : List.of(root.resolve("bin/vigil").toString(), "sentinel", conf.toString());
  }
}
