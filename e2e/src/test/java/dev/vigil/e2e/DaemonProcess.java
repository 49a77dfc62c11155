package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A daemon started as users start it: {@code bin/vigil sentinel sentinel.conf}, in its own process
 * (or, for comparisons, Sentinel itself on the same file: {@link WatcherKind}).
 */
final class DaemonProcess implements AutoCloseable {
  /** The repository root: the working directory (benchmark) or its parent (Maven, in e2e/). */
  static final Path ROOT = Files.isExecutable(Path.of("bin/vigil"))
      ? Path.of("").toAbsolutePath() : Path.of(System.getProperty("user.dir")).getParent();

  final int port;
  final Path dir;
  private Process process;
  private final Path conf;

  private final boolean plain;
  private final WatcherKind kind;
  /** TLS only on {@link #port}, with mutual TLS to the nodes and peers; null: plaintext. */
  private final dev.vigil.testkit.TlsFiles tls;

  private DaemonProcess(int port, Path dir, Path conf, boolean plain, WatcherKind kind,
      dev.vigil.testkit.TlsFiles tls) {
    this.port = port;
    this.dir = dir;
    this.conf = conf;
    this.plain = plain;
    this.kind = kind;
    this.tls = tls;
  }

  /** A daemon watching group {@code name} with a sentinel.conf (the drop-in path). */
  static DaemonProcess start(String name, String masterHost, int masterPort, int quorum,
      long downAfterMs) throws IOException {
    return start(name, masterHost, masterPort, quorum, downAfterMs, freePort(), List.of());
  }

  /** A free loopback port, for a daemon whose port must be known before it starts. */
  static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }

  /**
   * A daemon on {@code port} with {@code extraLines} appended to its sentinel.conf, e.g.
   * {@code sentinel announce-ip}/{@code announce-port} so that peers reach it through a proxy.
   */
  static DaemonProcess start(String name, String masterHost, int masterPort, int quorum,
      long downAfterMs, int port, List<String> extraLines) throws IOException {
    return start(WatcherKind.VIGIL, name, masterHost, masterPort, quorum, downAfterMs, port,
        extraLines);
  }

  /** As above, running {@code kind} (Sentinel needs a working directory to rewrite its file in). */
  static DaemonProcess start(WatcherKind kind, String name, String masterHost, int masterPort,
      int quorum, long downAfterMs, int port, List<String> extraLines) throws IOException {
    return start(kind, name, masterHost, masterPort, quorum, downAfterMs, port, extraLines, null);
  }

  /**
   * As above; with {@code tls}, TLS only on {@code port} ({@code port 0}), mutual TLS required of
   * clients, and TLS to the nodes and peers ({@code tls-replication yes}), as Sentinel configures it.
   */
  static DaemonProcess start(WatcherKind kind, String name, String masterHost, int masterPort,
      int quorum, long downAfterMs, int port, List<String> extraLines,
      dev.vigil.testkit.TlsFiles tls) throws IOException {
    Path dir = Files.createTempDirectory("vigil-e2e-daemon-");
    Path conf = dir.resolve("sentinel.conf");
    StringBuilder extra = new StringBuilder();
    extraLines.forEach(l -> extra.append(l).append('\n'));
    String listen = tls == null ? "port " + port + "\n" : "port 0\ntls-port " + port + "\n"
        + "tls-cert-file " + tls.cert() + "\ntls-key-file " + tls.key() + "\n"
        + "tls-ca-cert-file " + tls.caCert() + "\ntls-replication yes\ntls-auth-clients yes\n";
    Files.writeString(conf, listen + "bind 127.0.0.1\n"
        + "sentinel monitor " + name + " " + masterHost + " " + masterPort + " " + quorum + "\n"
        + "sentinel down-after-milliseconds " + name + " " + downAfterMs + "\n"
        + "sentinel failover-timeout " + name + " 10000\n" + extra
        + (kind.isSentinel() ? "dir " + dir + "\n" : ""));
    DaemonProcess d = new DaemonProcess(port, dir, conf, false, kind, tls);
    d.launch();
    return d;
  }

  /**
   * A daemon as Sentinel's tutorials start one: a sentinel.conf with only the port, the monitor
   * line and the group's timeouts (no bind, no HTTP port), and no VIGIL_* variable at all.
   */
  static DaemonProcess startPlain(int port, String name, String masterHost, int masterPort,
      int quorum, long downAfterMs) throws IOException {
    Path dir = Files.createTempDirectory("vigil-e2e-plain-");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\n"
        + "sentinel monitor " + name + " " + masterHost + " " + masterPort + " " + quorum + "\n"
        + "sentinel down-after-milliseconds " + name + " " + downAfterMs + "\n"
        + "sentinel failover-timeout " + name + " 10000\n"
        + "sentinel parallel-syncs " + name + " 1\n");
    DaemonProcess d = new DaemonProcess(port, dir, conf, true, WatcherKind.VIGIL, null);
    d.launch();
    return d;
  }

  /** {@code bin/vigil ARGS} to its end: the exit code and what it wrote to each stream. */
  record Run(int exitCode, String stdout, String stderr) {}

  static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(ROOT.resolve("bin/vigil").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("vigil-run-", ".out");
    Path err = Files.createTempFile("vigil-run-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("bin/vigil " + String.join(" ", args) + " did not end");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private void launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(kind.command(ROOT, conf))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()));
    if (plain) {
      pb.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    } else {
      pb.environment().put("VIGIL_HTTP_PORT", "0");
      pb.environment().put("VIGIL_JAVA_OPTS", kind.isSentinel() ? "" : kind.javaOpts());
    }
    process = pb.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("daemon exited at start:\n" + log());
      }
      return answers();
    });
  }

  private boolean answers() {
    try (AdminConnection c = admin()) {
      return "PONG".equals(c.command("PING"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  AdminConnection admin() throws IOException {
    return tls == null ? new AdminConnection("127.0.0.1", port, 2_000)
        : new AdminConnection("127.0.0.1", port, 2_000, tls.clientContext().getSocketFactory());
  }

  /** GET-MASTER-ADDR-BY-NAME, or null when the daemon does not answer. */
  List<Object> masterAddress(String name) {
    return SequenceWriter.masterAddress(port, name);
  }

  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The daemon's process id ({@code bin/vigil} execs java, so this is the JVM's). */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      Path p = dir.resolve("daemon.log");
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      dev.vigil.testkit.TempDirs.stop(process, 10);
    }
    dev.vigil.testkit.TempDirs.delete(dir);
  }
}
