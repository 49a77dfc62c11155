package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code valkey-sentinel} (or Debian's {@code redis-sentinel}) watching one master, on a
 * free loopback port: what Vigil is compared with, for conformance and for the benchmark.
 */
public final class SentinelProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;
  private final TlsFiles tls;

  private SentinelProcess(Process process, Path dir, int port) {
    this(process, dir, port, null);
  }

  private SentinelProcess(Process process, Path dir, int port, TlsFiles tls) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.tls = tls;
  }

  public static SentinelProcess start(String name, ValkeyServer master, int quorum,
      long downAfterMs, long failoverTimeoutMs) {
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("vigil-sentinel-");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
          + "logfile " + dir.resolve("sentinel.log") + "\n"
          + "sentinel monitor " + name + " " + master.host() + " " + master.port() + " " + quorum + "\n"
          + "sentinel down-after-milliseconds " + name + " " + downAfterMs + "\n"
          + "sentinel failover-timeout " + name + " " + failoverTimeoutMs + "\n");
      Process p = new ProcessBuilder(ServerBinary.sentinel().toString(), conf.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      SentinelProcess s = new SentinelProcess(p, dir, port);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(s::answers);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs Sentinel from the given sentinel.conf text (its own directory and logfile are added),
   * answering on {@code port}; over TLS with {@code tls}'s client context when it is not null.
   */
  public static SentinelProcess fromConfig(String config, int port, TlsFiles tls) {
    try {
      Path dir = Files.createTempDirectory("vigil-sentinel-");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, config + "\ndir " + dir + "\nlogfile " + dir.resolve("sentinel.log")
          + "\n");
      Process p = new ProcessBuilder(ServerBinary.sentinel().toString(), conf.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      SentinelProcess s = new SentinelProcess(p, dir, port, tls);
      try {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
            .until(() -> !p.isAlive() || s.answers());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new IllegalStateException("sentinel not answering; log:\n" + s.log(), e);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("sentinel exited; log:\n" + s.log());
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its log, for failure messages. */
  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {"stdout.log", "sentinel.log"}) {
      try {
        Path p = dir.resolve(f);
        if (Files.exists(p)) {
          sb.append(Files.readString(p));
        }
      } catch (IOException e) {
        sb.append("(cannot read ").append(f).append(")\n");
      }
    }
    return sb.toString();
  }

  /** A command on a fresh connection (over TLS when started with TLS files). */
  public Object command(String... args) {
    try (AdminConnection c = connect(2_000)) {
      return c.command(args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AdminConnection connect(int timeoutMs) throws IOException {
    return tls == null ? new AdminConnection("127.0.0.1", port, timeoutMs)
        : new AdminConnection("127.0.0.1", port, timeoutMs,
            tls.clientContext().getSocketFactory());
  }

  public int port() {
    return port;
  }

  private boolean answers() {
    try (AdminConnection c = connect(500)) {
      return "PONG".equals(c.command("PING"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.delete(dir);
  }
}
