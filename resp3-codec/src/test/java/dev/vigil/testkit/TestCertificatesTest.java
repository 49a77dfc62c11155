package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The kit's certificates work with a real TLS-only server, and a foreign CA is refused. */
class TestCertificatesTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  @Test
  void aTlsOnlyGroupReplicatesOverTlsWithClientCertificates() {
    TlsFiles tls = TestCertificates.authority("kit-ca").writeLoopback(dir, "node");
    List<ValkeyServer> group = servers.startGroup(1, tls);
    group.get(0).command("SET", "k", "v");
    // Replicated over TLS (the replica presents its certificate to the master).
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> "v".equals(group.get(1).command("GET", "k")));
    assertThatThrownBy(() -> {
      try (AdminConnection plain = new AdminConnection(group.get(0).host(), group.get(0).port(),
          2_000)) {
        plain.command("PING");
      }
    }).as("plaintext on the TLS-only port").isInstanceOf(IOException.class);
  }

  @Test
  void aClientOfAnotherCaIsRefused() {
    TlsFiles tls = TestCertificates.authority("kit-ca").writeLoopback(dir, "node");
    ValkeyServer server = servers.start(ValkeyServer.builder().tls(tls));
    TestCertificates other = TestCertificates.authority("other-ca");
    var stranger = other.issue("stranger", "127.0.0.1");
    assertThatThrownBy(() -> {
      try (AdminConnection c = new AdminConnection(server.host(), server.port(), 2_000,
          stranger.sslContext(TestCertificates.authority("x").certificate(),
              tlsCa(tls)).getSocketFactory())) {
        c.command("PING");
      }
    }).isInstanceOfAny(SSLException.class, IOException.class);
  }

  private static java.security.cert.X509Certificate tlsCa(TlsFiles tls) throws Exception {
    try (var in = java.nio.file.Files.newInputStream(tls.caCert())) {
      return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
          .getInstance("X.509").generateCertificate(in);
    }
  }
}
