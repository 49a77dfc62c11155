package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.testkit.SentinelProcess;
import dev.vigil.testkit.ServerBinary;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Vigil and a real Sentinel watch the same group side by side (they also discover each other, as
 * in a migration): the replies clients parse must have the same field names, order and types.
 * Values may differ. Runs where redis-sentinel or valkey-sentinel is installed (CI installs it).
 */
class SentinelConformanceTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  @Test
  void repliesHaveSentinelsShape() throws Exception {
    assumeTrue(ServerBinary.hasSentinel(),
        "no valkey-sentinel or redis-sentinel on PATH: conformance comparison skipped");
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    SentinelDaemon vigil = daemons.start(TestDaemons.hocon("mymaster", master, 2, 5_000, ""));
    try (SentinelProcess real = SentinelProcess.start("mymaster", master, 2, 5_000, 180_000);
        RespClient client = new RespClient(1)) {
      await().atMost(Duration.ofSeconds(20)).until(() ->
          vigil.group("mymaster").peers().size() == 1 && vigil.group("mymaster").replicas().size() == 2);
      for (boolean resp3 : new boolean[] {false, true}) {
        RespConnection ours = client.connect(
            RespClientOptions.of("127.0.0.1", vigil.port()).withResp3(resp3)).get(5, TimeUnit.SECONDS);
        RespConnection theirs = client.connect(
            RespClientOptions.of("127.0.0.1", real.port()).withResp3(resp3)).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> Resp.elements(
            send(theirs, "SENTINEL", "SENTINELS", "mymaster")).size() == 1
            && Resp.elements(send(theirs, "SENTINEL", "REPLICAS", "mymaster")).size() == 2);

        assertSameShape(send(ours, "SENTINEL", "MASTER", "mymaster"),
            send(theirs, "SENTINEL", "MASTER", "mymaster"), "SENTINEL MASTER");
        assertSameShape(first(send(ours, "SENTINEL", "MASTERS")),
            first(send(theirs, "SENTINEL", "MASTERS")), "SENTINEL MASTERS");
        assertSameShape(first(send(ours, "SENTINEL", "REPLICAS", "mymaster")),
            first(send(theirs, "SENTINEL", "REPLICAS", "mymaster")), "SENTINEL REPLICAS");
        assertSameShape(first(send(ours, "SENTINEL", "SENTINELS", "mymaster")),
            first(send(theirs, "SENTINEL", "SENTINELS", "mymaster")), "SENTINEL SENTINELS");
        assertThat(shape(send(ours, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")))
            .isEqualTo(shape(send(theirs, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")));
        assertThat(shape(send(ours, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "none")))
            .isEqualTo(shape(send(theirs, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "none")));
        assertThat(shape(send(ours, "ROLE"))).isEqualTo(shape(send(theirs, "ROLE")));
        assertThat(shape(send(ours, "SENTINEL", "IS-MASTER-DOWN-BY-ADDR", master.host(),
            Integer.toString(master.port()), "0", "*")))
            .isEqualTo(shape(send(theirs, "SENTINEL", "IS-MASTER-DOWN-BY-ADDR", master.host(),
                Integer.toString(master.port()), "0", "*")));
        assertThat(shape(send(ours, "INFO", "sentinel"))).isEqualTo(shape(send(theirs, "INFO", "sentinel")));
        List<String> theirKeys = infoKeys(send(theirs, "INFO", "sentinel"));
        assertThat(infoKeys(send(ours, "INFO", "sentinel"))).containsSubsequence(theirKeys);

        RespValue ourHello = send(ours, "HELLO", resp3 ? "3" : "2");
        RespValue theirHello = send(theirs, "HELLO", resp3 ? "3" : "2");
        assertSameShape(ourHello, theirHello, "HELLO");
        ours.close();
        theirs.close();
      }
    }
  }

  private static RespValue send(RespConnection c, String... args) {
    return c.send((Object[]) args).handle((v, e) -> e == null ? v : Resp.error(e.getMessage())).join();
  }

  private static RespValue first(RespValue array) {
    return Resp.elements(array).get(0);
  }

  /** Same keys in the same order, with values of the same RESP types. */
  private static void assertSameShape(RespValue ours, RespValue theirs, String what) {
    assertThat(ours.getClass()).as(what + " reply type").isEqualTo(theirs.getClass());
    RespMap o = Resp.asMap(ours);
    RespMap t = Resp.asMap(theirs);
    assertThat(o.asStringKeyed().keySet()).as(what + " field names and order")
        .containsExactlyElementsOf(t.asStringKeyed().keySet());
    for (RespMap.Entry e : t.entries()) {
      RespValue ourValue = o.get(Resp.text(e.key()));
      assertThat(ourValue.getClass()).as(what + " type of " + Resp.text(e.key()))
          .isEqualTo(e.value().getClass());
    }
  }

  /** The value's type tree: classes of the value and (recursively) its elements. */
  private static String shape(RespValue v) {
    if (v instanceof dev.vigil.resp3.value.RespArray a) {
      List<String> parts = new ArrayList<>();
      a.elements().forEach(e -> parts.add(shape(e)));
      return "array" + parts;
    }
    return v.getClass().getSimpleName();
  }

  private static List<String> infoKeys(RespValue info) {
    List<String> keys = new ArrayList<>();
    for (String line : Resp.text(info).split("\r\n")) {
      if (!line.startsWith("#") && line.contains(":")) {
        keys.add(line.substring(0, line.indexOf(':')));
      }
    }
    return keys;
  }
}
