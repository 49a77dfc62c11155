package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts in-process daemons watching a group of real servers, with timings shrunk for tests, and
 * stops them after each test.
 */
public final class TestDaemons implements AfterEachCallback {
  private final List<SentinelDaemon> daemons = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  /** HOCON for a daemon watching {@code master} as group {@code name}. */
  public static String hocon(String name, ValkeyServer master, int quorum, long downAfterMs,
      String extra) {
    return """
        vigil {
          port = 0
          bind = ["127.0.0.1"]
          http-port = 0
          timing { publish-period = 200ms, info-period = 1s, tick-period = 20ms, ping-period = 200ms }
          masters { %s { host = "%s", port = %d, quorum = %d, down-after-milliseconds = %d,
                         failover-timeout = 10000 %s } }
          %s
        }
        """.formatted(name, master.host(), master.port(), quorum, downAfterMs,
        master.password() == null ? "" : ", auth-pass = \"" + master.password() + "\"", extra);
  }

  public SentinelDaemon start(String config) {
    return start(config, "vigil.conf", Map.of());
  }

  public synchronized SentinelDaemon start(String config, String fileName, Map<String, String> env) {
    try {
      Path dir = Files.createTempDirectory("vigil-daemon-");
      dirs.add(dir);
      Path file = dir.resolve(fileName);
      Files.writeString(file, config);
      return startAt(file, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (or restarts) a daemon from an existing configuration file. */
  public synchronized SentinelDaemon startAt(Path file, Map<String, String> env) {
    try {
      SentinelDaemon d = new SentinelDaemon(ConfigLoader.load(file, env), Clock.MONOTONIC).start();
      daemons.add(d);
      return d;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code n} daemons on the same group. */
  public List<SentinelDaemon> startGroup(int n, String name, ValkeyServer master, int quorum,
      long downAfterMs) {
    return startGroup(n, name, master, quorum, downAfterMs, false);
  }

  /** {@code n} daemons on the same group, each with its HTTP endpoints on a free port if asked. */
  public List<SentinelDaemon> startGroup(int n, String name, ValkeyServer master, int quorum,
      long downAfterMs, boolean withHttp) {
    List<SentinelDaemon> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String extra = withHttp ? "http-port = " + freePort() : "";
      out.add(start(hocon(name, master, quorum, downAfterMs, extra)));
    }
    return out;
  }

  /**
   * Waits until every daemon knows all its peers and every replica of the group, each replica
   * reporting its master link up: the group is ready for a fault.
   */
  public static List<SentinelDaemon> awaitSettled(List<SentinelDaemon> ds, String name, int replicas) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        ds.stream().allMatch(d -> d.group(name).peers().size() == ds.size() - 1
            && d.group(name).replicas().size() == replicas
            && d.group(name).replicas().values().stream().allMatch(r -> r.info() != null
                && r.info().masterLinkUp())));
    return ds;
  }

  /**
   * Waits until no daemon is in its fresh-identity quarantine: a group whose daemons all just
   * started fresh can neither fail over nor be told to (tested on its own), and most tests mean a
   * group that has been running.
   */
  public static List<SentinelDaemon> awaitVoting(List<SentinelDaemon> ds) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> ds.stream().noneMatch(SentinelDaemon::abstaining));
    return ds;
  }

  /**
   * Waits until {@code d} sees a replica of {@code name} it may promote (what a forced failover
   * needs, or it answers NOGOODSLAVE): a replica just re-pointed qualifies only once the daemon's
   * own latest INFO of it shows its new master link up.
   */
  public static SentinelDaemon awaitPromotable(SentinelDaemon d, String name) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() ->
        dev.vigil.sentinel.failover.ReplicaSelection.choose(d.group(name), d.clock().millis(),
            d.timing()).isPresent());
    return d;
  }

  private static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }

  public synchronized void stop(SentinelDaemon d) {
    daemons.remove(d);
    d.close();
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    daemons.forEach(SentinelDaemon::close);
    daemons.clear();
    for (Path dir : dirs) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // temporary
      }
    }
    dirs.clear();
  }
}
