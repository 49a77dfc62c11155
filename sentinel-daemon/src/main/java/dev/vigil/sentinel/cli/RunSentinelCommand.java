package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.ConfigException;
import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.config.LoadedConfig;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.monitor.Clock;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil sentinel <config>}: runs the daemon in the foreground until SIGTERM or SHUTDOWN. */
@Command(name = "sentinel", mixinStandardHelpOptions = true,
    description = {"Runs the failover daemon in the foreground.",
        "CONFIG is a HOCON file (see reference.conf) or a Valkey sentinel.conf, used unchanged."},
    footer = {"", "Examples:", "  vigil sentinel /etc/vigil/sentinel.conf",
        "  VIGIL_ANNOUNCE_IP=10.0.0.7 vigil sentinel vigil.conf"})
final class RunSentinelCommand implements Callable<Integer> {
  private static volatile boolean running;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "configuration file")
  Path config;

  static boolean keepsRunning() {
    return running;
  }

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.load(config);
    } catch (ConfigException e) {
      System.err.println("vigil: " + e.getMessage());
      return 2;
    }
    SentinelDaemon daemon = new SentinelDaemon(loaded, Clock.MONOTONIC);
    try {
      daemon.start();
    } catch (ConfigException e) {
      System.err.println("vigil: " + e.getMessage());
      daemon.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      stopped.countDown();
    }, "vigil-shutdown"));
    daemon.onShutdownRequest(() -> new Thread(() -> System.exit(0), "vigil-exit").start());
    running = true;
    stopped.await();
    return 0;
  }
}
