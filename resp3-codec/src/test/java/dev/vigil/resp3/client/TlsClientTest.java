package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through a caller-supplied SslContext, against a server with {@code tls-port}. Certificates
 * are made for the test with the openssl CLI; without it the test says so and is skipped.
 */
class TlsClientTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path certs;

  @Test
  void greetsAndPipelinesOverTls() throws Exception {
    assumeTrue(run(List.of("openssl", "version")), "openssl CLI not found: TLS test skipped");
    makeCertificates();
    int tlsPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      tlsPort = s.getLocalPort();
    }
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

  private void makeCertificates() throws IOException, InterruptedException {
    Path ext = certs.resolve("san.ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    String dir = certs.toString() + "/";
    List<List<String>> steps = List.of(
        List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=vigil-test-ca", "-keyout", dir + "ca.key", "-out", dir + "ca.crt"),
        List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", dir + "server.key", "-out", dir + "server.csr"),
        List.of("openssl", "x509", "-req", "-days", "1", "-in", dir + "server.csr",
            "-CA", dir + "ca.crt", "-CAkey", dir + "ca.key", "-CAcreateserial",
            "-extfile", ext.toString(), "-out", dir + "server.crt"));
    for (List<String> step : steps) {
      assertThat(run(step)).as("openssl step %s", step).isTrue();
    }
  }

  private boolean run(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
