package dev.vigil.operator.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's own links to a real TLS-only, mutual-TLS redis-server (certificates made here),
 * and the certificate reload: CONFIG SET of the same file paths, one call, confirmed by what a new
 * connection is shown.
 */
class TlsLinksTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  private static TlsMaterial material(Path cert, Path key, Path ca) throws Exception {
    return new TlsMaterial(Files.readString(cert), Files.readString(key), Files.readString(ca));
  }

  private static Map<String, String> reloadParameters(TlsFiles f) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("tls-cert-file", f.cert().toString());
    p.put("tls-key-file", f.key().toString());
    p.put("tls-ca-cert-file", f.caCert().toString());
    return p;
  }

  /** The leaf a fresh connection is shown, through the JDK's own TLS (not the code under test). */
  private static X509Certificate served(ValkeyServer node, TestCertificates.Issued client, TestCertificates ca)
      throws Exception {
    try (SSLSocket s = (SSLSocket) client.sslContext(ca.certificate()).getSocketFactory()
        .createSocket(node.host(), node.port())) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void commandsUseTlsWithTheGroupsCertificateOnceTheClusterRegistersIt() throws Exception {
    TestCertificates ca = TestCertificates.authority("group-ca");
    TlsFiles files = ca.writeLoopback(dir, "node");
    ValkeyServer node = servers.start(ValkeyServer.builder().tls(files).password("secret"));
    HostPort at = new HostPort(node.host(), node.port());
    try (RespClient client = new RespClient(1)) {
      RespGroupCommands commands = new RespGroupCommands(client);
      assertThat(await(commands.configSet(at, "secret", Map.of("replica-priority", "0"))))
          .as("plaintext to a TLS-only port").isFalse();
      commands.useTls("ns/c", Optional.of(material(files.cert(), files.key(), files.caCert())), List.of(node.host()));
      assertThat(await(commands.configSet(at, "secret", Map.of("replica-priority", "0")))).isTrue();
      assertThat(node.command("CONFIG", "GET", "replica-priority")).isEqualTo(List.of("replica-priority", "0"));

      // A material from another CA is refused by the node (mutual TLS) and does not trust it either.
      TestCertificates other = TestCertificates.authority("other-ca");
      TlsFiles stranger = other.writeLoopback(Files.createDirectory(dir.resolve("other")), "stranger");
      commands.useTls("ns/c", Optional.of(material(stranger.cert(), stranger.key(), stranger.caCert())),
          List.of(node.host()));
      assertThat(await(commands.configSet(at, "secret", Map.of("replica-priority", "100")))).isFalse();
      assertThat(node.command("CONFIG", "GET", "replica-priority")).isEqualTo(List.of("replica-priority", "0"));
    }
  }

  @Test
  void aRenewedCertificateIsServedAfterOneConfigSetOnceItsFilesAreThere() throws Exception {
    TestCertificates ca = TestCertificates.authority("group-ca");
    TlsFiles files = ca.writeLoopback(dir, "node");
    Path caPem = files.caCert();
    ValkeyServer node = servers.start(ValkeyServer.builder().tls(files).password("secret"));
    HostPort at = new HostPort(node.host(), node.port());
    TestCertificates.Issued client = ca.issue("client", "localhost");
    X509Certificate original = served(node, client, ca);
    try (RespClient resp = new RespClient(1)) {
      RespGroupCommands commands = new RespGroupCommands(resp);
      TlsMaterial current = material(files.cert(), files.key(), caPem);
      assertThat(await(commands.reloadTls(at, "secret", current, reloadParameters(files))))
          .as("already served: done").isTrue();

      // cert-manager renewed the Secret, but the kubelet has not written it into the pod yet.
      TestCertificates.Issued renewed = ca.issue("node", "127.0.0.1", "localhost");
      Path newCert = dir.resolve("renewed.crt");
      Path newKey = dir.resolve("renewed.key");
      renewed.writeTo(newCert, newKey);
      TlsMaterial next = material(newCert, newKey, caPem);
      assertThat(await(commands.reloadTls(at, "secret", next, reloadParameters(files))))
          .as("the node re-read the old files: not done, to be asked again").isFalse();
      assertThat(served(node, client, ca)).isEqualTo(original);

      // The files are swapped in place (as the kubelet does); the next attempt takes.
      Files.copy(newCert, files.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(newKey, files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(served(node, client, ca)).as("this server does not notice new files by itself")
          .isEqualTo(original);
      assertThat(await(commands.reloadTls(at, "secret", next, reloadParameters(files)))).isTrue();
      assertThat(served(node, client, ca)).isEqualTo(renewed.certificate());
      // No restart: the same process answers, with its data.
      assertThat(node.isAlive()).isTrue();
      assertThat(node.info("server").get("process_id")).isEqualTo(Long.toString(node.pid()));
    }
  }

  @Test
  void aNodeThatCannotBeReachedIsNotDoneAndNothingThrows() throws Exception {
    TestCertificates ca = TestCertificates.authority("group-ca");
    TlsFiles files = ca.writeLoopback(dir, "node");
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (RespClient resp = new RespClient(1)) {
      assertThat(await(new RespGroupCommands(resp).reloadTls(new HostPort("127.0.0.1", closed), "secret",
          material(files.cert(), files.key(), files.caCert()), reloadParameters(files)))).isFalse();
    }
  }
}
