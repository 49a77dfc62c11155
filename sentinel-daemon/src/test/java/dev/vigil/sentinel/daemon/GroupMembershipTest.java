package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group membership is published whole: while one client adds and removes a group with SENTINEL
 * MONITOR / REMOVE, other threads list the groups (directly and with SENTINEL MASTERS) and deliver
 * hellos and failover requests by name, and every one of them sees a set the daemon really had.
 */
class GroupMembershipTest {
  private static final int ROUNDS = 24;

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  @Test
  void monitorAndRemoveNeverShowReadersAHalfChangedSet() throws Exception {
    ValkeyServer master = servers.start();
    SentinelDaemon d = daemons.start(TestDaemons.hocon("mymaster", master, 1, 5_000, ""));
    int nobody = closedPort();
    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong reads = new AtomicLong();
    CountDownLatch readersUp = new CountDownLatch(3);

    // The only sets the daemon passes through: {mymaster} and {mymaster, gN}, in that order.
    Thread lister = reader("lister", readersUp, writing, problems, () -> {
      List<String> names = d.groups().stream().map(GroupState::name).toList();
      check(names, problems);
      for (String n : names) {
        GroupState g = d.group(n);
        if (g != null && !g.name().equals(n)) {
          problems.add("group(" + n + ") answered " + g.name());
        }
      }
      reads.incrementAndGet();
    });
    Thread byName = reader("by-name", readersUp, writing, problems, () -> {
      for (int i = 0; i < 4; i++) {
        Address nowhere = new Address("127.0.0.1", nobody);
        d.helloFromPeer(new Hello(nowhere, "0".repeat(40), 0, "g" + i, nowhere, 0));
      }
      d.forceFailover("g-none", false).join();
      reads.incrementAndGet();
    });
    Thread masters;
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 5_000)) {
      masters = reader("masters", readersUp, writing, problems, () -> {
        Object reply = c.command("SENTINEL", "MASTERS");
        List<String> names = new ArrayList<>();
        for (Object m : (List<?>) reply) {
          names.add(nameOf(m));
        }
        check(names, problems);
        reads.incrementAndGet();
      });
      readersUp.await();
      try (AdminConnection w = new AdminConnection("127.0.0.1", d.port(), 5_000)) {
        for (int i = 0; i < ROUNDS; i++) {
          String name = "g" + (i % 4);
          assertThat(w.command("SENTINEL", "MONITOR", name, "127.0.0.1", Integer.toString(nobody), "1"))
              .isEqualTo("OK");
          assertThat(w.command("SENTINEL", "REMOVE", name)).isEqualTo("OK");
        }
      } finally {
        writing.set(false);
      }
      lister.join();
      byName.join();
      masters.join();
    }
    assertThat(problems).isEmpty();
    assertThat(reads.get()).isGreaterThan(3);
    assertThat(d.groups()).extracting(GroupState::name).containsExactly("mymaster");
  }

  private static void check(List<String> names, ConcurrentLinkedQueue<String> problems) {
    boolean ok = !names.isEmpty() && names.get(0).equals("mymaster")
        && (names.size() == 1 || names.size() == 2 && names.get(1).matches("g[0-3]"));
    if (!ok) {
      problems.add("saw " + names);
    }
  }

  private interface Read {
    void run() throws Exception;
  }

  /** Reads until the writer is done, at least once after it finished; records what goes wrong. */
  private static Thread reader(String name, CountDownLatch up, AtomicBoolean writing,
      ConcurrentLinkedQueue<String> problems, Read read) {
    Thread t = new Thread(() -> {
      up.countDown();
      boolean last;
      do {
        last = !writing.get();
        try {
          read.run();
        } catch (Exception | Error e) {
          problems.add(name + ": " + e);
          return;
        }
      } while (!last);
    }, name);
    t.start();
    return t;
  }

  /** A master's name from a SENTINEL MASTERS entry (a flat list or a map in RESP3). */
  private static String nameOf(Object entry) {
    if (entry instanceof Map<?, ?> m) {
      return String.valueOf(m.get("name"));
    }
    List<?> flat = (List<?>) entry;
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      if ("name".equals(flat.get(i))) {
        return String.valueOf(flat.get(i + 1));
      }
    }
    throw new AssertionError("no name in " + entry);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
