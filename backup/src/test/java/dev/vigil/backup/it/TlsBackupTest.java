package dev.vigil.backup.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * tlsEverywhereWhenOn, for the backup's two links: the node over TLS with a client certificate
 * ({@code tls-auth-clients yes}, plaintext port off), S3 over HTTPS with a private CA given by
 * {@code --s3-ca-file}. Certificates are made in the test ({@link BackupTlsFiles}).
 */
class TlsBackupTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path certs;
  @TempDir Path data;

  @Test
  void backupAndRestoreOverTlsOnly() throws Exception {
    BackupTlsFiles.write(certs);
    int tlsPort = freePort();
    ValkeyServer node = servers.start(ValkeyServer.builder().config(
        "tls-port " + tlsPort,
        "tls-cert-file " + certs.resolve("server.crt"),
        "tls-key-file " + certs.resolve("server.key"),
        "tls-ca-cert-file " + certs.resolve("ca.crt"),
        "tls-auth-clients yes"));
    Datasets.mixed(node, 2_000);
    String digest = Datasets.digest(node);
    node.command("CONFIG", "SET", "port", "0"); // from here on, TLS is the only way in

    BlobStoreContext ctx = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
    ctx.getBlobStore().createContainerInLocation(null, "secure");
    S3Proxy proxy = S3Proxy.builder().blobStore(ctx.getBlobStore())
        .secureEndpoint(URI.create("https://127.0.0.1:0"))
        .keyStore(certs.resolve("s3.p12").toString(), BackupTlsFiles.STORE_PASSWORD)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "a", "secret-secret").build();
    proxy.start();
    org.awaitility.Awaitility.await().until(() -> proxy.getState().equals("STARTED"));
    try {
      List<String> s3 = List.of("--s3-endpoint", "https://localhost:" + proxy.getSecurePort(),
          "--path-style", "--bucket", "secure", "--access-key", "a", "--secret-key", "secret-secret",
          "--s3-ca-file", certs.resolve("ca.crt").toString());
      List<String> tls = List.of("--tls", "--cacert", certs.resolve("ca.crt").toString(),
          "--tls-cert", certs.resolve("client.crt").toString(), "--tls-key", certs.resolve("client.key").toString());

      Cli noClientCert = Cli.run(s3, "backup", "--node", "127.0.0.1:" + tlsPort, "--tls",
          "--cacert", certs.resolve("ca.crt").toString());
      assertThat(noClientCert.exit()).isEqualTo(1);
      assertThat(noClientCert.reason()).as(noClientCert.err()).contains("TLS handshake failed: ")
          .doesNotContain("OpenSslEngine");
      // A CA file that did not sign the node's certificate: the refusal names the certificate.
      Cli wrongCa = Cli.run(s3, "backup", "--node", "127.0.0.1:" + tlsPort, "--tls",
          "--cacert", certs.resolve("client.crt").toString(), "--tls-cert",
          certs.resolve("client.crt").toString(), "--tls-key", certs.resolve("client.key").toString());
      assertThat(wrongCa.exit()).isEqualTo(1);
      assertThat(wrongCa.reason()).as(wrongCa.err()).contains("TLS handshake failed: certificate subject '",
          "not signed by a trusted CA (--cacert)").doesNotContain("OpenSslEngine");

      String[] backupArgs = concat(List.of("backup", "--node", "127.0.0.1:" + tlsPort, "-o", "json"), tls);
      Cli backup = Cli.run(s3, backupArgs);
      assertThat(backup.exit()).as(backup.err()).isZero();
      Manifest m = ManifestJson.read(backup.out().getBytes(StandardCharsets.UTF_8));

      // cert-manager's default RSA key encoding (and a user Secret's, often) is PKCS#1.
      assertThat(Files.readString(certs.resolve("client-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
      Cli pkcs1 = Cli.run(s3, "backup", "--node", "127.0.0.1:" + tlsPort, "--tls", "--cacert",
          certs.resolve("ca.crt").toString(), "--tls-cert", certs.resolve("client.crt").toString(),
          "--tls-key", certs.resolve("client-pkcs1.key").toString());
      assertThat(pkcs1.exit()).as(pkcs1.err()).isZero();

      Cli untrusted = Cli.run(s3.subList(0, s3.size() - 2), "backups", "list");
      assertThat(untrusted.exit()).isEqualTo(1);
      assertThat(untrusted.reason()).startsWith("vigil backups: cannot reach S3 at https://localhost:");

      Path dir = data.resolve("restored");
      Cli restore = Cli.run(s3, "restore", "--key", m.key(), "--dir", dir.toString());
      assertThat(restore.exit()).as(restore.err()).isZero();
      ValkeyServer fresh = servers.start(ValkeyServer.builder().name("fresh").config("dir " + dir));
      assertThat(Datasets.digest(fresh)).isEqualTo(digest);
    } finally {
      proxy.stop();
      ctx.close();
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }

  private static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }
}
