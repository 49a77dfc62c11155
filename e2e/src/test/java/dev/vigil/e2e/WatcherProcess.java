package dev.vigil.e2e;

import dev.vigil.testkit.ServerBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A watcher of the benchmarks: {@code bin/vigil sentinel} or {@code redis-sentinel}, from a
 * sentinel.conf of the given monitor lines, on its own free loopback port and temp directory.
 */
final class WatcherProcess implements AutoCloseable {
  final Process process;
  final int port;
  private final Path dir;

  private WatcherProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * A Vigil daemon with no VIGIL_* variable but those in {@code env} (which also carries
   * VIGIL_JAVA_OPTS, MALLOC_ARENA_MAX or JAVA_TOOL_OPTIONS when a benchmark sets them), and its
   * HTTP port chosen by the OS, since several run on one host.
   */
  static WatcherProcess vigil(String monitors, Map<String, String> env) throws IOException {
    int port = DaemonProcess.freePort();
    Path dir = Files.createTempDirectory("vigil-watcher-");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\n" + monitors);
    ProcessBuilder pb = new ProcessBuilder(DaemonProcess.ROOT.resolve("bin/vigil").toString(),
        "sentinel", conf.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    pb.environment().put("VIGIL_HTTP_PORT", "0");
    pb.environment().putAll(env);
    return start(pb, port, dir);
  }

  static WatcherProcess redisSentinel(String monitors) throws IOException {
    int port = DaemonProcess.freePort();
    Path dir = Files.createTempDirectory("vigil-watcher-");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\nlogfile "
        + dir.resolve("sentinel.log") + "\n" + monitors);
    return start(new ProcessBuilder(ServerBinary.sentinel().toString(), conf.toString()), port,
        dir);
  }

  private static WatcherProcess start(ProcessBuilder pb, int port, Path dir) throws IOException {
    Process p = pb.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    return new WatcherProcess(p, port, dir);
  }

  /** The watcher's pid ({@code bin/vigil} execs java, so this is the JVM's). */
  long pid() {
    return process.pid();
  }

  /** What it wrote to standard output and, for Redis' Sentinel, its logfile. */
  String log() {
    try {
      Path logfile = dir.resolve("sentinel.log");
      return Files.readString(dir.resolve("stdout.log"))
          + (Files.exists(logfile) ? Files.readString(logfile) : "");
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    dev.vigil.testkit.TempDirs.stop(process, 30);
    dev.vigil.testkit.TempDirs.delete(dir);
  }
}
