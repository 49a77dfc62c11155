package dev.vigil.e2e;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client as applications write: RPUSHes increasing sequence numbers to wherever a daemon says
 * the master is, re-resolving after any error, and records every number the server acknowledged
 * (optionally only those {@code WAIT 1} confirmed). Afterwards, {@link #lostOn} says which
 * acknowledged numbers a node lacks.
 */
final class SequenceWriter implements Runnable {
  private final int daemonPort;
  private final String group;
  private final boolean waitForReplica;
  private final long pauseMicros;
  private final Dial dial;
  final Set<Long> acked = new ConcurrentSkipListSet<>();
  final AtomicBoolean stop = new AtomicBoolean();
  /** Set to the master's port at a fault; then the first ack from elsewhere is timed. */
  final AtomicLong faultFromPort = new AtomicLong(-1);
  final AtomicLong newMasterAckAt = new AtomicLong(-1);

  SequenceWriter(int daemonPort, String group, boolean waitForReplica, long pauseMicros) {
    this(daemonPort, group, waitForReplica, pauseMicros, Dial.PLAIN);
  }

  SequenceWriter(int daemonPort, String group, boolean waitForReplica, long pauseMicros, Dial dial) {
    this.daemonPort = daemonPort;
    this.group = group;
    this.waitForReplica = waitForReplica;
    this.pauseMicros = pauseMicros;
    this.dial = dial;
  }

  Thread start() {
    Thread t = new Thread(this, "sequence-writer");
    t.start();
    return t;
  }

  @Override
  public void run() {
    long seq = 0;
    while (!stop.get()) {
      List<Object> addr = masterAddress(daemonPort, group, dial);
      if (addr == null) {
        continue;
      }
      int port = Integer.parseInt((String) addr.get(1));
      try (AdminConnection c = dial.admin((String) addr.get(0), port, 500)) {
        while (!stop.get()) {
          seq++;
          c.command("RPUSH", "seq", Long.toString(seq));
          if (!waitForReplica || c.command("WAIT", "1", "500") instanceof Long n && n >= 1) {
            acked.add(seq);
            long from = faultFromPort.get();
            if (from > 0 && port != from) {
              newMasterAckAt.compareAndSet(-1, System.nanoTime());
            }
          }
          if (pauseMicros > 0) {
            TimeUnit.MICROSECONDS.sleep(pauseMicros);
          }
        }
      } catch (IOException | RuntimeException reconnect) {
        // gone, read-only, paused or disconnected by a switchover: re-resolve
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The acknowledged numbers that {@code node} does not hold. */
  @SuppressWarnings("unchecked")
  Set<Long> lostOn(ValkeyServer node) {
    Set<Long> present = new HashSet<>();
    for (Object v : (List<Object>) node.command("LRANGE", "seq", "0", "-1")) {
      present.add(Long.parseLong((String) v));
    }
    Set<Long> lost = new HashSet<>(acked);
    lost.removeAll(present);
    return lost;
  }

  /** GET-MASTER-ADDR-BY-NAME on a daemon, or null when it does not answer. */
  @SuppressWarnings("unchecked")
  static List<Object> masterAddress(int daemonPort, String group) {
    return masterAddress(daemonPort, group, Dial.PLAIN);
  }

  @SuppressWarnings("unchecked")
  static List<Object> masterAddress(int daemonPort, String group, Dial dial) {
    try (AdminConnection d = dial.admin("127.0.0.1", daemonPort, 500)) {
      return (List<Object>) d.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", group);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
