package dev.vigil.e2e;

import dev.vigil.e2e.history.Ack;
import dev.vigil.e2e.history.History;
import dev.vigil.testkit.AdminConnection;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application client in a partition test: asks a daemon (directly) where the master is, then
 * RPUSHes unique values to it through the master's proxy from its own loopback address (so the
 * proxies know which side of a partition it is on), until a command fails or times out (500 ms,
 * below down-after), and asks again. Every OK goes into the {@link History} with the node that
 * gave it; with {@code waitForReplica}, each write is followed by {@code WAIT 1 500} and the ack
 * is marked waited when a replica confirmed it.
 */
final class HistoryWriter implements Runnable {
  static final String KEY = "history";
  private static final int TIMEOUT_MS = 500;
  private static final int WAIT_MS = 300;

  private final String name;
  private final String localIp;
  private final ProxiedGroup group;
  private final int daemon;
  private final boolean waitForReplica;
  private final History history;
  private final long pauseMicros;
  final AtomicBoolean stop = new AtomicBoolean();
  private Thread thread;

  HistoryWriter(String name, String localIp, ProxiedGroup group, int daemon,
      boolean waitForReplica, History history) {
    this(name, localIp, group, daemon, waitForReplica, history, 0);
  }

  /** As above, pausing {@code pauseMicros} after each write (a paced client, not a tight loop). */
  HistoryWriter(String name, String localIp, ProxiedGroup group, int daemon,
      boolean waitForReplica, History history, long pauseMicros) {
    this.pauseMicros = pauseMicros;
    this.name = name;
    this.localIp = localIp;
    this.group = group;
    this.daemon = daemon;
    this.waitForReplica = waitForReplica;
    this.history = history;
  }

  HistoryWriter start() {
    thread = new Thread(this, "history-writer-" + name);
    thread.start();
    return this;
  }

  void stopAndJoin() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }

  @Override
  public void run() {
    long seq = 0;
    while (!stop.get()) {
      List<Object> addr = SequenceWriter.masterAddress(group.daemons.get(daemon).port,
          ProxiedGroup.GROUP);
      String node = addr == null ? null : group.nodeAtProxyPort(Integer.parseInt((String) addr.get(1)));
      if (node == null) {
        continue;
      }
      int port = Integer.parseInt((String) addr.get(1));
      try (AdminConnection c = new AdminConnection("127.0.0.1", port, TIMEOUT_MS, localIp)) {
        while (!stop.get()) {
          String value = name + ":" + (++seq);
          c.command("RPUSH", KEY, value);
          long at = System.nanoTime();
          boolean waited = false;
          try {
            // WAIT's own timeout is below the socket's, so a slow replica yields 0, not an error.
            waited = waitForReplica
                && c.command("WAIT", "1", Integer.toString(WAIT_MS)) instanceof Long n && n >= 1;
          } finally {
            // The RPUSH was acknowledged whatever WAIT does next.
            history.record(new Ack(name, value, node, at, waited));
          }
          if (pauseMicros > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseMicros * 1_000);
          }
        }
      } catch (IOException | RuntimeException reconnect) {
        // refused (NOREPLICAS, READONLY), timed out behind a cut, or reset: ask again
      }
    }
  }

  /** What a node holds under the key, read directly (not through a proxy). */
  @SuppressWarnings("unchecked")
  static Set<String> contents(dev.vigil.testkit.ValkeyServer node) {
    return new HashSet<>((List<String>) (List<?>) node.command("LRANGE", KEY, "0", "-1"));
  }
}
