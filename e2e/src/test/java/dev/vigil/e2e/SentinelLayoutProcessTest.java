package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sentinel's own tutorial layout: several daemons on one host, on neighbouring ports, each from
 * a plain sentinel.conf with nothing Vigil-specific and no VIGIL_* environment. They all start
 * (no second listener takes a neighbour's port), find each other and fail over.
 */
class SentinelLayoutProcessTest {
  private static final String NAME = "mymaster";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final DaemonProcesses daemons = new DaemonProcesses();

  @ParameterizedTest(name = "{0} daemons")
  @ValueSource(ints = {3, 5})
  void daemonsOnNeighbouringPortsStartFindEachOtherAndFailOver(int n) throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watchOnNeighbouringPorts(NAME, master, 2, n, n / 2 + 1, 1_000);
    for (int i = 1; i < n; i++) {
      assertThat(ds.get(i).port).isEqualTo(ds.get(0).port + i);
    }

    master.kill9();

    String old = master.host() + ":" + master.port();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d -> {
      List<Object> a = d.masterAddress(NAME);
      return a != null && !(a.get(0) + ":" + a.get(1)).equals(old);
    }));
    List<Object> promoted = ds.get(0).masterAddress(NAME);
    assertThat(ds).allSatisfy(d -> assertThat(d.masterAddress(NAME)).isEqualTo(promoted));
    ValkeyServer newMaster = group.stream()
        .filter(s -> Integer.toString(s.port()).equals(String.valueOf(promoted.get(1))))
        .findFirst().orElseThrow();
    assertThat(newMaster.info("replication").get("role")).isEqualTo("master");
  }
}
