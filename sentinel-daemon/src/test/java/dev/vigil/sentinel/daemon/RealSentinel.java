package dev.vigil.sentinel.daemon;

import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ServerBinary;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/** A real valkey-sentinel / redis-sentinel process, to compare Vigil with. */
final class RealSentinel implements AutoCloseable {
  private final Process process;
  private final Path dir;
  final int port;

  private RealSentinel(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  static RealSentinel start(String name, ValkeyServer master, int quorum, long downAfterMs)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("real-sentinel-");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
        + "logfile " + dir.resolve("sentinel.log") + "\n"
        + "sentinel monitor " + name + " " + master.host() + " " + master.port() + " " + quorum + "\n"
        + "sentinel down-after-milliseconds " + name + " " + downAfterMs + "\n");
    Process p = new ProcessBuilder(ServerBinary.sentinel().toString(), conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    RealSentinel s = new RealSentinel(p, dir, port);
    await().atMost(Duration.ofSeconds(10)).until(s::answers);
    return s;
  }

  private boolean answers() {
    try (AdminConnection c = new AdminConnection("127.0.0.1", port, 500)) {
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
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // temporary
    }
  }
}
