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
        "CONFIG is a HOCON file (see reference.conf) or a Valkey sentinel.conf, used unchanged.",
        "Exit codes: 2 the configuration cannot be read or is invalid; 1 the daemon could not",
        "start (a port in use, the state file not writable); 0 stopped by SIGTERM or SHUTDOWN."},
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
    SentinelDaemon daemon;
    try {
      daemon = new SentinelDaemon(loaded, Clock.MONOTONIC);
    } catch (RuntimeException e) {
      return startFailed(e, null);
    }
    try {
      daemon.start();
    } catch (RuntimeException e) {
      return startFailed(e, daemon);
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

  /**
   * One line on standard error, never a stack trace: whoever starts a daemon by hand (or reads a
   * pod's log) needs the port, file or setting at fault, not the frames below it.
   */
  private static int startFailed(RuntimeException e, SentinelDaemon daemon) {
    String message = e instanceof ConfigException ? e.getMessage()
        : "cannot start: " + (e.getMessage() == null ? e.toString() : e.getMessage());
    System.err.println("vigil: " + message);
    if (daemon != null) {
      daemon.close();
    }
    return 1;
  }
}
