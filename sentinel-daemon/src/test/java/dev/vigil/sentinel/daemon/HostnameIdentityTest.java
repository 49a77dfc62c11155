package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.Address;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With resolve-hostnames and announce-hostnames, nodes and peers are known by name (as pods by
 * their stable DNS names), so an address change does not create ghost entries.
 */
class HostnameIdentityTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  @Test
  void nodesAndPeersAreKnownByName() throws Exception {
    ValkeyServer master = servers.start(ValkeyServer.builder().config("replica-announce-ip localhost"));
    List<ValkeyServer> replicas = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ValkeyServer r = servers.start(ValkeyServer.builder().config("replica-announce-ip localhost"));
      r.replicaOf(master);
      replicas.add(r);
    }
    replicas.forEach(ValkeyServer::awaitReplicationLinkUp);
    String config = """
        vigil {
          port = 0
          bind = ["127.0.0.1"]
          http-port = 0
          resolve-hostnames = true
          announce-hostnames = true
          announce-ip = "localhost"
          timing { publish-period = 200ms, tick-period = 20ms }
          masters { mymaster { host = "localhost", port = %d, quorum = 2 } }
        }
        """.formatted(master.port());
    List<SentinelDaemon> ds = List.of(daemons.start(config), daemons.start(config));
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.stream().allMatch(d ->
        d.group("mymaster").replicas().size() == 2 && d.group("mymaster").peers().size() == 1));
    for (SentinelDaemon d : ds) {
      assertThat(d.group("mymaster").replicas().keySet()).containsExactlyInAnyOrder(
          new Address("localhost", replicas.get(0).port()), new Address("localhost", replicas.get(1).port()));
      assertThat(d.group("mymaster").peers().values()).allMatch(p -> p.address().host().equals("localhost"));
    }
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(0).port(), 2_000)) {
      assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
          .isEqualTo(List.of("localhost", Integer.toString(master.port())));
      @SuppressWarnings("unchecked")
      List<Object> cache = (List<Object>) c.command("SENTINEL", "INFO-CACHE", "mymaster");
      assertThat(cache.get(0)).isEqualTo("mymaster");
      assertThat(cache.get(1).toString()).contains("role:master");
    }
  }
}
