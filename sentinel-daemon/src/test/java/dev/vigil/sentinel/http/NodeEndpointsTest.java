package dev.vigil.sentinel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The endpoints a Kubernetes pod uses next to its sidecar daemon: readiness from the daemons'
 * view, and the preStop handover of the master role.
 */
class NodeEndpointsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(SentinelDaemon d, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String node(ValkeyServer s) {
    return "group=mymaster&host=" + s.host() + "&port=" + s.port();
  }

  private List<SentinelDaemon> watch(List<ValkeyServer> group, int n) {
    return TestDaemons.awaitSettled(daemons.startGroup(n, "mymaster", group.get(0), Math.min(2, n), 500, true), "mymaster",
        group.size() - 1);
  }

  @Test
  void readinessFollowsTheDaemonsViewNotTheNodesClaim() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    List<SentinelDaemon> ds = watch(group, 1);
    SentinelDaemon d = ds.get(0);
    assertThat(get(d, "/node-ready?" + node(group.get(0))).statusCode()).isEqualTo(200);
    HttpResponse<String> replica = get(d, "/node-ready?" + node(group.get(1)));
    assertThat(replica.statusCode()).isEqualTo(200);
    assertThat(replica.body()).startsWith("replica of");
    HttpResponse<String> stranger = get(d, "/node-ready?group=mymaster&host=127.0.0.1&port=1");
    assertThat(stranger.statusCode()).isEqualTo(503);
    assertThat(stranger.body()).contains("not a known node");
    assertThat(get(d, "/node-ready?group=mymaster").statusCode()).isEqualTo(400);
    assertThat(get(d, "/node-ready?group=nope&host=h&port=1").statusCode()).isEqualTo(404);

    // A replica that claims master on its own is not ready, whatever it says about itself.
    group.get(1).command("REPLICAOF", "NO", "ONE");
    await().atMost(Duration.ofSeconds(5)).until(() ->
        get(d, "/node-ready?" + node(group.get(1))).statusCode() == 503);
  }

  @Test
  void preStopHandsTheMasterRoleOverBeforeTheMasterStops() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = watch(group, 3);
    master.command("SET", "k", "v");

    HttpResponse<String> replica = get(ds.get(0), "/prestop?" + node(group.get(1)));
    assertThat(replica.statusCode()).isEqualTo(200);
    assertThat(replica.body()).contains("not the master");

    HttpResponse<String> handover = get(ds.get(0), "/prestop?" + node(master));
    assertThat(handover.statusCode()).as(handover.body()).isEqualTo(200);
    Address promoted = ds.get(0).group("mymaster").masterAddress();
    assertThat(promoted).isNotEqualTo(new Address(master.host(), master.port()));
    assertThat(handover.body()).contains("handed over to " + promoted);
    ValkeyServer newMaster = group.stream()
        .filter(s -> s.port() == promoted.port()).findFirst().orElseThrow();
    // The hand-over's last step, CLIENT KILL on the promoted node, leaves on the leader's link to
    // it as the group switches, possibly after this answer: an INFO that link answers later
    // proves the kill done, so the probes below are not caught by it.
    long answeredAt = Clock.MONOTONIC.millis();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ds.get(0).group("mymaster").master().infoAt() > answeredAt);
    assertThat(newMaster.command("GET", "k")).isEqualTo("v");
    assertThat(newMaster.command("SET", "after", "1")).isEqualTo("OK");
    await().atMost(Duration.ofSeconds(10))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        "slave".equals(master.info("replication").get("role")));
  }
}
