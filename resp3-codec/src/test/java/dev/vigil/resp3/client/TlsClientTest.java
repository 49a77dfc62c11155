package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.FreePorts;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through a caller-supplied SslContext, against a server with {@code tls-port}. Certificates
 * are made in the test ({@link TestCertificates}).
 */
class TlsClientTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path certs;

  @Test
  void greetsAndPipelinesOverTls() throws Exception {
    TestCertificates.authority("vigil-test-ca").writeLoopback(certs, "server");
    int tlsPort = FreePorts.loopback();
    ValkeyServer server = servers.start(ValkeyServer.builder().config(
        "tls-port " + tlsPort,
        "tls-cert-file " + certs.resolve("server.crt"),
        "tls-key-file " + certs.resolve("server.key"),
        "tls-ca-cert-file " + certs.resolve("ca.crt"),
        "tls-auth-clients no"));
    SslContext ssl = SslContextBuilder.forClient().trustManager(certs.resolve("ca.crt").toFile()).build();
    try (RespClient client = new RespClient(1);
        RespConnection c = client.connect(RespClientOptions.of("127.0.0.1", tlsPort).withSsl(ssl))
            .get(10, TimeUnit.SECONDS)) {
      assertThat(c.protocol()).isEqualTo(3);
      assertThat(c.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      InfoReply info = c.info("server").get(5, TimeUnit.SECONDS);
      assertThat(info.get("tcp_port")).isEqualTo(Integer.toString(server.port()));
    }
  }
}
