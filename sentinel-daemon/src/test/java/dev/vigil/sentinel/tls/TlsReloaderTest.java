package dev.vigil.sentinel.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.resp3.tls.PeerCertificateException;
import dev.vigil.sentinel.config.ConfigException;
import dev.vigil.sentinel.config.TlsSettings;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the TLS files: one-line refusals at start, swaps and refusals when they change. */
class TlsReloaderTest {
  @TempDir Path dir;

  static TlsSettings settings(Path cert, Path key, Path ca) {
    return new TlsSettings(16379, cert, key, null, ca, null, TlsSettings.ClientAuth.YES, true,
        List.of(), List.of(), List.of(), false, null, null, Duration.ZERO,
        dev.vigil.sentinel.config.TlsPorts.NONE);
  }

  @Test
  void aMissingFileFailsTheStartNamingTheDirectiveAndTheFile() {
    TlsFiles f = TestCertificates.authority("ca").writeLoopback(dir, "node");
    Path missing = dir.resolve("nope.crt");
    assertThatThrownBy(() -> new TlsReloader(settings(missing, f.key(), f.caCert()), () -> false))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tls-cert-file " + missing + ": no such file");
    assertThatThrownBy(() -> new TlsReloader(settings(f.cert(), f.key(), missing), () -> false))
        .hasMessage("tls-ca-cert-file " + missing + ": no such file");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() {
    TestCertificates ca = TestCertificates.authority("ca");
    TlsFiles f = ca.writeLoopback(dir, "node");
    ca.issue("other", "127.0.0.1").writeTo(dir.resolve("other.crt"), dir.resolve("other.key"));
    assertThatThrownBy(() -> new TlsReloader(settings(f.cert(), dir.resolve("other.key"),
        f.caCert()), () -> false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tls-key-file " + dir.resolve("other.key")
            + ": the key does not match the certificate in " + f.cert())
        .message().doesNotContain("\n");
  }

  @Test
  void aPkcs1RsaKeyAsCertManagerWritesItIsRead() throws Exception {
    TestCertificates ca = TestCertificates.authority("ca");
    TlsFiles f = ca.writeLoopback(dir, "node");
    TestCertificates.Issued rsa = ca.issueRsa("rsa-node", "127.0.0.1");
    rsa.writeTo(f.cert(), f.key());
    rsa.writeTraditionalKey(f.key());
    assertThat(Files.readString(f.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    TlsReloader r = new TlsReloader(settings(f.cert(), f.key(), f.caCert()), () -> false);
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=rsa-node");
    // ... and a PKCS#1 key of another certificate is still told apart.
    ca.issueRsa("other", "127.0.0.1").writeTraditionalKey(f.key());
    assertThatThrownBy(() -> new TlsReloader(settings(f.cert(), f.key(), f.caCert()), () -> false))
        .hasMessageContaining("the key does not match");
  }

  @Test
  void aFileThatIsNotPemIsRefused() throws Exception {
    TlsFiles f = TestCertificates.authority("ca").writeLoopback(dir, "node");
    Files.writeString(f.key(), "garbage\n");
    assertThatThrownBy(() -> new TlsReloader(settings(f.cert(), f.key(), f.caCert()), () -> false))
        .hasMessage("tls-key-file " + f.key() + ": no PEM private key in it");
  }

  @Test
  void changedFilesAreSwappedInAndABadChangeKeepsTheOldMaterial() {
    TestCertificates ca = TestCertificates.authority("ca");
    TlsFiles f = ca.writeLoopback(dir, "node");
    TlsReloader r = new TlsReloader(settings(f.cert(), f.key(), f.caCert()), () -> false);
    assertThat(r.check()).as("nothing changed").isFalse();
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=node");

    ca.issue("rotated", "127.0.0.1").writeTo(f.cert(), f.key());
    assertThat(r.check()).isTrue();
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=rotated");

    // Only the certificate replaced: it does not match the key in place, so it is refused.
    TestCertificates.Issued next = ca.issue("half-done", "127.0.0.1");
    next.writeTo(f.cert(), dir.resolve("unused.key"));
    assertThat(r.check()).isFalse();
    assertThat(r.check()).as("refused once, not re-read every period").isFalse();
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=rotated");

    next.writeTo(f.cert(), f.key());
    assertThat(r.check()).isTrue();
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=half-done");
  }

  @Test
  void anExpiredOwnCertificateIsLoadedAsValkeyDoes() {
    TestCertificates ca = TestCertificates.authority("ca");
    TlsFiles f = ca.writeLoopback(dir, "node");
    Instant past = Instant.now().minus(Duration.ofDays(3));
    ca.issue("expired", past, past.plus(Duration.ofDays(1)), "127.0.0.1").writeTo(f.cert(), f.key());
    TlsReloader r = new TlsReloader(settings(f.cert(), f.key(), f.caCert()), () -> false);
    assertThat(r.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=expired");
  }

  @Test
  void anExpiredPeerCertificateIsDescribedWithItsSubjectAndDate() throws Exception {
    TestCertificates ca = TestCertificates.authority("ca");
    Instant past = Instant.now().minus(Duration.ofDays(3));
    TestCertificates.Issued expired = ca.issue("old-node", past, past.plus(Duration.ofDays(1)),
        "127.0.0.1");
    TlsFiles f = ca.writeLoopback(dir, "node");
    var tm = (javax.net.ssl.X509TrustManager) TlsMaterial.trustManager(
        PemFiles.certificates("tls-ca-cert-file", f.caCert()));
    assertThatThrownBy(() -> tm.checkServerTrusted(new java.security.cert.X509Certificate[] {
        expired.certificate(), ca.certificate()}, "ECDHE_ECDSA"))
        .isInstanceOf(PeerCertificateException.class)
        .hasMessageStartingWith("certificate subject 'CN=old-node' issued by 'CN=ca': expired on ");
  }
}
