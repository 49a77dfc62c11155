package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/**
 * The files a TLS server is started with, and a client context (presenting the same
 * certificate, trusting the CA) for the kit's admin connections and for tests.
 */
public record TlsFiles(Path caCert, Path cert, Path key, SSLContext clientContext) {
  /** A client context that trusts the CA but presents no certificate. */
  public SSLContext anonymousContext() {
    try (InputStream in = Files.newInputStream(caCert)) {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(in);
      return TestCertificates.sslContext(null, ca);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }
}
