package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three daemons watching a real master and two replicas. */
class DaemonMonitoringTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  private static RespClient client;

  @BeforeAll
  static void client() {
    client = new RespClient(1);
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  private static RespConnection connect(SentinelDaemon d, boolean resp3) throws Exception {
    return client.connect(RespClientOptions.of("127.0.0.1", d.port()).withResp3(resp3))
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void everyDaemonDiscoversReplicasAndPeersAndAnswersLikeSentinel() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = daemons.startGroup(3, "mymaster", master, 2, 1_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.stream().allMatch(d ->
        d.group("mymaster").replicas().size() == 2 && d.group("mymaster").peers().size() == 2));

    for (boolean resp3 : new boolean[] {false, true}) {
      try (RespConnection c = connect(ds.get(0), resp3)) {
        List<RespValue> addr = Resp.elements(c.send("SENTINEL", "GET-MASTER-ADDR-BY-NAME",
            "mymaster").get(5, TimeUnit.SECONDS));
        assertThat(addr).containsExactly(Resp.bulk(master.host()), Resp.bulk(Integer.toString(master.port())));
        assertThat(c.send("SENTINEL", "GET-PRIMARY-ADDR-BY-NAME", "nope").get(5, TimeUnit.SECONDS).isNull())
            .isTrue();

        RespMap m = Resp.asMap(c.send("SENTINEL", "MASTER", "mymaster").get(5, TimeUnit.SECONDS));
        assertThat(m.asStringKeyed().keySet()).startsWith("name", "ip", "port", "runid", "flags");
        assertThat(Resp.text(m.get("flags"))).isEqualTo("master");
        assertThat(Resp.text(m.get("num-slaves"))).isEqualTo("2");
        assertThat(Resp.text(m.get("num-other-sentinels"))).isEqualTo("2");
        assertThat(Resp.text(m.get("quorum"))).isEqualTo("2");
        assertThat(m.entries()).allMatch(e -> e.value() instanceof dev.vigil.resp3.value.BulkString);

        List<RespValue> replicas = Resp.elements(c.send("SENTINEL", "REPLICAS", "mymaster")
            .get(5, TimeUnit.SECONDS));
        assertThat(replicas).hasSize(2);
        for (RespValue r : replicas) {
          RespMap rm = Resp.asMap(r);
          assertThat(Resp.text(rm.get("flags"))).isEqualTo("slave");
          assertThat(Resp.text(rm.get("master-port"))).isEqualTo(Integer.toString(master.port()));
        }
        assertThat(Resp.elements(c.send("SENTINEL", "SLAVES", "mymaster").get(5, TimeUnit.SECONDS)))
            .hasSize(2);

        List<RespValue> sentinels = Resp.elements(c.send("SENTINEL", "SENTINELS", "mymaster")
            .get(5, TimeUnit.SECONDS));
        assertThat(sentinels).hasSize(2);
        assertThat(sentinels).map(s -> Resp.text(Resp.asMap(s).get("runid")))
            .containsExactlyInAnyOrder(ds.get(1).myId(), ds.get(2).myId());

        assertThat(Resp.text(c.send("SENTINEL", "MYID").get(5, TimeUnit.SECONDS)))
            .isEqualTo(ds.get(0).myId());
        assertThat(Resp.text(c.send("SENTINEL", "CKQUORUM", "mymaster").get(5, TimeUnit.SECONDS)))
            .isEqualTo("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
        assertThat(Resp.elements(c.send("ROLE").get(5, TimeUnit.SECONDS)).get(0))
            .isEqualTo(Resp.bulk("sentinel"));
        assertThat(c.info("sentinel").get(5, TimeUnit.SECONDS).get("master0"))
            .isEqualTo("name=mymaster,status=ok,address=" + master.address() + ",slaves=2,sentinels=3");
      }
    }
  }

  @Test
  void aKilledReplicaGoesSdownAfterDownAfterAndComesBack() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = daemons.startGroup(1, "mymaster", group.get(0), 1, 500);
    SentinelDaemon d = ds.get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> d.group("mymaster").replicas().size() == 2);
    List<String> events = new CopyOnWriteArrayList<>();
    try (RespConnection c = connect(d, true)) {
      c.onPush((Push p) -> events.add(Resp.text(p.get(1)) + " " + Resp.text(p.get(2))));
      c.subscribe("+sdown", "-sdown").get(5, TimeUnit.SECONDS);
      ValkeyServer replica = group.get(1);
      String inst = "slave " + replica.address() + " " + replica.host() + " " + replica.port()
          + " @ mymaster " + group.get(0).host() + " " + group.get(0).port();
      replica.kill9();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("+sdown " + inst));
      replica.restart();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("-sdown " + inst));
      assertThat(events).containsExactly("+sdown " + inst, "-sdown " + inst);
    }
  }

  @Test
  void aStoppedMasterIsSdownAndReportedDownToPeers() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    // Quorum 3 of 2 daemons: the master is reported down but never failed over here.
    List<SentinelDaemon> ds = daemons.startGroup(2, "mymaster", group.get(0), 3, 500);
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.get(0).group("mymaster").peers().size() == 1);
    group.get(0).pause();
    await().atMost(Duration.ofSeconds(5)).until(() -> ds.get(0).group("mymaster").master().sdown());
    try (RespConnection c = connect(ds.get(0), false)) {
      List<RespValue> reply = Resp.elements(c.send("SENTINEL", "IS-MASTER-DOWN-BY-ADDR",
          group.get(0).host(), Integer.toString(group.get(0).port()), "0", "*").get(5, TimeUnit.SECONDS));
      assertThat(reply).containsExactly(Resp.integer(1), Resp.bulk("*"), Resp.integer(0));
      RespMap m = Resp.asMap(c.send("SENTINEL", "MASTER", "mymaster").get(5, TimeUnit.SECONDS));
      assertThat(Resp.text(m.get("flags"))).isEqualTo("s_down,master");
      assertThat(m.asStringKeyed()).containsKey("s-down-time");
    }
    group.get(0).resume();
    await().atMost(Duration.ofSeconds(5)).until(() -> !ds.get(0).group("mymaster").master().sdown());
  }
}
