package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code valkey-server} (or {@code redis-server}) process on a free loopback port, in its
 * own temporary directory, for tests. Never port 6379. Killed and deleted on {@link #close()},
 * and by a shutdown hook should a test forget.
 */
public final class ValkeyServer implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Set<ValkeyServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ValkeyServer::close),
        "valkey-test-servers-cleanup"));
  }

  private final String bind;
  private final int port;
  private final Path dir;
  private final Path configFile;
  private final String password;
  private final String name;
  private final TlsFiles tls;
  private Process process;
  private boolean paused;

  private ValkeyServer(Builder b, int port, Path dir) throws IOException {
    this.bind = b.bind;
    this.port = port;
    this.dir = dir;
    this.password = b.password;
    this.name = b.name;
    this.tls = b.tls;
    this.configFile = dir.resolve("valkey.conf");
    List<String> lines = new ArrayList<>(List.of(
        "port " + port,
        "bind " + b.bind,
        "dir " + dir,
        "logfile " + dir.resolve("server.log"),
        "daemonize no",
        "protected-mode no",
        "save \"\"",
        "appendonly no",
        // Diskless full syncs wait 5 s by default for more replicas to join; tests want them now.
        "repl-diskless-sync-delay 0",
        "enable-debug-command yes"));
    if (b.password != null) {
      lines.add("requirepass " + b.password);
      lines.add("masterauth " + b.password);
    }
    if (b.tls != null) {
      // TLS only, on the port the kit chose: every link (clients, replication) is TLS with
      // client certificates, as a production group with TLS on.
      lines.set(0, "port 0");
      lines.addAll(List.of("tls-port " + port, "tls-cert-file " + b.tls.cert(),
          "tls-key-file " + b.tls.key(), "tls-ca-cert-file " + b.tls.caCert(),
          "tls-replication yes", "tls-auth-clients yes"));
    }
    lines.addAll(b.config);
    Files.write(configFile, lines, StandardCharsets.UTF_8);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a default server on 127.0.0.1. */
  public static ValkeyServer start() {
    return builder().start();
  }

  /** How to start a server. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private String password;
    private String name = "valkey";
    private final List<String> config = new ArrayList<>();
    private TlsFiles tls;

    /**
     * TLS only ({@code port 0}, {@code tls-port}, {@code tls-replication yes},
     * {@code tls-auth-clients yes}) with these files; {@link ValkeyServer#port()} is then the TLS
     * port and the kit's admin connections use {@link TlsFiles#clientContext()}.
     */
    public Builder tls(TlsFiles files) {
      this.tls = files;
      return this;
    }

    /** The loopback address to listen on: 127.0.0.1 by default; any 127.x.y.z works on Linux. */
    public Builder bind(String address) {
      this.bind = address;
      return this;
    }

    /** Sets {@code requirepass} (and {@code masterauth}); the kit authenticates with it. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** A name for log dumps. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Extra valkey.conf lines, e.g. {@code "replica-priority 0"}. */
    public Builder config(String... lines) {
      config.addAll(List.of(lines));
      return this;
    }

    public ValkeyServer start() {
      IOException last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        int port = freePort(bind);
        try {
          ValkeyServer server = new ValkeyServer(this, port, Files.createTempDirectory("vigil-valkey-"));
          if (server.launch()) {
            return server;
          }
          server.close();
        } catch (IOException e) {
          last = e;
        }
      }
      throw new IllegalStateException("could not start a server on " + bind, last);
    }
  }

  /** A port nobody listens on now; the server binding it later may still race, hence retries. */
  private static int freePort(String bind) {
    try {
      return FreePorts.on(InetAddress.getByName(bind));
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bind, e);
    }
  }

  /** Starts the process; false if it lost the race for its port. */
  private boolean launch() throws IOException {
    process = new ProcessBuilder(ServerBinary.server().toString(), configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    LIVE.add(this);
    try {
      await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20))
          .until(() -> !process.isAlive() || isReady());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException(name + " on " + address() + " not ready within "
          + READY_TIMEOUT + "; log:\n" + logContents(), e);
    }
    if (!process.isAlive()) {
      String log = logContents();
      if (log.contains("Address already in use")) {
        return false;
      }
      throw new IllegalStateException(name + " on " + address() + " exited at start; log:\n" + log);
    }
    return true;
  }

  private boolean isReady() {
    try (AdminConnection c = admin(500)) {
      Object info = c.command("INFO", "persistence");
      // The line itself: Redis 7+ also has async_loading:0, which is there while loading from disk.
      return info instanceof String s && s.contains("\nloading:0\r");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A fresh blocking admin connection, authenticated when the server has a password. */
  public AdminConnection admin(int timeoutMillis) throws IOException {
    AdminConnection c = tls == null ? new AdminConnection(bind, port, timeoutMillis)
        : new AdminConnection(bind, port, timeoutMillis, tls.clientContext().getSocketFactory());
    if (password != null) {
      c.command("AUTH", password);
    }
    return c;
  }

  /** Runs one command on a fresh admin connection; see {@link AdminConnection} for the mapping. */
  public Object command(String... args) {
    try (AdminConnection c = admin(5_000)) {
      return c.command(args);
    } catch (IOException e) {
      throw new UncheckedIOException(name + " on " + address() + ": " + e.getMessage(), e);
    }
  }

  /** INFO of one section as key/value pairs. */
  public Map<String, String> info(String section) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : ((String) command("INFO", section)).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return out;
  }

  public void replicaOf(ValkeyServer master) {
    command("REPLICAOF", master.host(), Integer.toString(master.port()));
  }

  public void replicaOfNoOne() {
    command("REPLICAOF", "NO", "ONE");
  }

  /** Waits until this replica reports {@code master_link_status:up}. */
  public void awaitReplicationLinkUp() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> "up".equals(info("replication").get("master_link_status")));
  }

  /** Waits until this master lists {@code n} replicas in state online. */
  public void awaitOnlineReplicas(int n) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> info("replication").values().stream()
            .filter(v -> v.contains("state=online")).count() >= n);
  }

  /** SIGKILL, as a crash would. The directory stays for {@link #restart()}. */
  public void kill9() {
    resume();
    process.destroyForcibly();
    waitForExit();
  }

  /** SHUTDOWN NOSAVE, falling back to SIGKILL. */
  public void stop() {
    resume();
    try (AdminConnection c = admin(2_000)) {
      c.command("SHUTDOWN", "NOSAVE");
    } catch (IOException | RuntimeException expected) {
      // the server closes the connection as it exits
    }
    waitForExit();
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing, like a hung or paused node. */
  public void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    if (paused) {
      signal("CONT");
      paused = false;
    }
  }

  /** Starts again on the same port, directory and config (after kill9 or stop). */
  public void restart() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    try {
      if (!launch()) {
        throw new IllegalStateException(name + ": port " + port + " was taken while it was down");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void signal(String sig) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String host() {
    return bind;
  }

  public int port() {
    return port;
  }

  public String address() {
    return bind + ":" + port;
  }

  public Path dir() {
    return dir;
  }

  public String password() {
    return password;
  }

  /** The TLS files the server runs with, or null for a plaintext server. */
  public TlsFiles tls() {
    return tls;
  }

  public String name() {
    return name;
  }

  /** The server's log file (and anything it printed), for failure reports. */
  public String logContents() {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("stdout.log", "server.log")) {
      try {
        Path p = dir.resolve(f);
        if (Files.exists(p)) {
          sb.append(Files.readString(p, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        sb.append("(cannot read ").append(f).append(": ").append(e.getMessage()).append(")\n");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (process != null) {
      resume();
      process.destroyForcibly();
      waitForExit();
    }
    LIVE.remove(this);
    TempDirs.delete(dir);
  }

  @Override
  public String toString() {
    return name + "@" + address();
  }

  static Set<ValkeyServer> live() {
    return Collections.unmodifiableSet(LIVE);
  }
}
