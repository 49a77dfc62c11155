package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Owns the daemon processes of a test: prints their logs if it fails, stops them after it. */
final class DaemonProcesses implements AfterEachCallback {
  private final List<DaemonProcess> daemons = new ArrayList<>();

  /** {@code n} daemons on the group, once each knows the replicas and the other daemons. */
  List<DaemonProcess> watch(String name, ValkeyServer master, int replicas, int n, int quorum,
      long downAfterMs) {
    return launch(n, name, replicas,
        i -> DaemonProcess.start(name, master.host(), master.port(), quorum, downAfterMs));
  }

  /**
   * {@code n} daemons from plain Sentinel-style files on {@code n} neighbouring ports (the
   * tutorials' 26379, 26380, 26381 layout), once each knows the replicas and the others.
   */
  List<DaemonProcess> watchOnNeighbouringPorts(String name, ValkeyServer master, int replicas,
      int n, int quorum, long downAfterMs) {
    int first = NeighbouringPorts.find(n);
    return launch(n, name, replicas, i -> DaemonProcess.startPlain(first + i, name, master.host(),
        master.port(), quorum, downAfterMs));
  }

  private interface Launcher {
    DaemonProcess start(int index) throws IOException;
  }

  /** Starts {@code n} daemons, owned by this extension, and waits until they found everything. */
  private List<DaemonProcess> launch(int n, String name, int replicas, Launcher launcher) {
    List<DaemonProcess> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        DaemonProcess d = launcher.start(i);
        daemons.add(d);
        out.add(d);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    awaitDiscovered(out, name, replicas);
    return out;
  }

  /** Takes a daemon started elsewhere under this extension's care (logs on failure, stop). */
  DaemonProcess track(DaemonProcess d) {
    daemons.add(d);
    return d;
  }

  static void awaitDiscovered(List<DaemonProcess> out, String name, int replicas) {
    int n = out.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> out.stream().allMatch(d ->
        field(d, name, "num-slaves").equals(Integer.toString(replicas))
            && field(d, name, "num-other-sentinels").equals(Integer.toString(n - 1))));
  }

  /**
   * Waits until no daemon is in its fresh-identity quarantine (INFO's
   * vigil_fresh_identity_quarantine_ms is 0): until then a daemon that started without its state
   * answers SENTINEL FAILOVER with NOTREADY.
   */
  static List<DaemonProcess> awaitVoting(List<DaemonProcess> ds) {
    await().atMost(Duration.ofSeconds(30)).until(() -> ds.stream()
        .allMatch(d -> info(d).contains("vigil_fresh_identity_quarantine_ms:0\r\n")));
    return ds;
  }

  private static String info(DaemonProcess d) {
    try (var c = d.admin()) {
      return String.valueOf(c.command("INFO", "sentinel"));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @SuppressWarnings("unchecked")
  static String field(DaemonProcess d, String name, String key) {
    try (var c = d.admin()) {
      List<Object> m = (List<Object>) c.command("SENTINEL", "MASTER", name);
      int i = m.indexOf(key);
      return i < 0 ? "" : String.valueOf(m.get(i + 1));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (DaemonProcess d : daemons) {
        System.out.println("===== log of daemon on port " + d.port + " (test failed) =====");
        System.out.println(d.log());
      }
    }
    daemons.forEach(DaemonProcess::close);
    daemons.clear();
  }
}
