package dev.vigil.sentinel.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.SentinelProcess;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Debian's redis-sentinel and a Vigil daemon run from the same TLS sentinel.conf lines. */
class SentinelSideBySideTlsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @TempDir Path certs;

  @Test
  void theSameTlsSentinelConfRunsBothAndTheyMeetOverTls() throws Exception {
    TlsFiles tls = TestCertificates.authority("vigil-test-ca").writeLoopback(certs, "node");
    List<ValkeyServer> group = servers.startGroup(1, tls);
    ValkeyServer master = group.get(0);
    int sentinelPort = TlsGroupTest.freePort();
    try (SentinelProcess sentinel = SentinelProcess.fromConfig(
        TlsGroupTest.sentinelConf(master, tls).replaceFirst("tls-port \\d+",
            "tls-port " + sentinelPort), sentinelPort, tls)) {
      SentinelDaemon vigil = daemons.start(TlsGroupTest.sentinelConf(master, tls), "sentinel.conf",
          Map.of());
      List<Object> expected = List.of(master.host(), Integer.toString(master.port()));
      assertThat(sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
          .isEqualTo(expected);
      try (AdminConnection c = new AdminConnection("127.0.0.1", vigil.tlsPort(), 2_000,
          tls.clientContext().getSocketFactory())) {
        assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
            .isEqualTo(expected);
      }
      // Each finds the other through the node's hello channel and reaches it over TLS.
      await().atMost(Duration.ofSeconds(15)).until(() ->
          vigil.group("mymaster").peers().size() == 1
              && vigil.group("mymaster").replicas().size() == 1);
      await().atMost(Duration.ofSeconds(15)).until(() -> {
        List<?> peers = (List<?>) sentinel.command("SENTINEL", "SENTINELS", "mymaster");
        return peers.size() == 1 && peers.get(0).toString().contains("flags, sentinel,");
      });
    }
  }
}
