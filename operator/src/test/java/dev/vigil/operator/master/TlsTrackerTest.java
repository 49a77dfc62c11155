package dev.vigil.operator.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.SentinelProcess;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's master tracker follows a TLS-only, mutual-TLS Sentinel port (Debian's
 * redis-sentinel, which speaks the protocol the daemons speak) once the cluster's TLS material
 * is registered for that host, also when it was followed in plain TCP before.
 */
class TlsTrackerTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  @Test
  void theTrackerReadsTheMasterOverMutualTls() throws Exception {
    TestCertificates ca = TestCertificates.authority("group-ca");
    TlsFiles files = ca.writeLoopback(dir, "node");
    ValkeyServer master = servers.start(ValkeyServer.builder().tls(files));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // port 0: the Sentinel port speaks nothing but TLS, and asks for a client certificate.
    String conf = String.join("\n", "port 0", "bind 127.0.0.1", "tls-port " + port,
        "tls-cert-file " + files.cert(), "tls-key-file " + files.key(), "tls-ca-cert-file " + files.caCert(),
        "tls-replication yes", "tls-auth-clients yes",
        "sentinel monitor cache " + master.host() + " " + master.port() + " 1");
    TlsLinks links = new TlsLinks();
    MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (SentinelProcess sentinel = SentinelProcess.fromConfig(conf, port, files);
        MasterTracker tracker = new MasterTracker(loops, (k, m) -> { }, Duration.ofSeconds(1), links)) {
      List<HostPort> daemons = List.of(new HostPort("127.0.0.1", sentinel.port()));
      // Followed before the cluster's TLS is known (as when TLS is turned on): plain TCP, no answer.
      tracker.watch("ns/cache", "cache", null, daemons, 1);
      links.use("ns/cache", Optional.of(new TlsMaterial(Files.readString(files.cert()),
          Files.readString(files.key()), Files.readString(files.caCert()))), List.of("127.0.0.1"));
      // The next reconcile says the same daemons: the connection is made again, with TLS.
      tracker.watch("ns/cache", "cache", null, daemons, 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> tracker.master("ns/cache").isPresent());
      assertThat(tracker.master("ns/cache")).contains(new HostPort(master.host(), master.port()));
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
