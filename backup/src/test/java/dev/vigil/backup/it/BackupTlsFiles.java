package dev.vigil.backup.it;

import dev.vigil.testkit.TestCertificates;
import java.nio.file.Path;

/**
 * The certificates a backup over TLS needs, made in the test (no openssl CLI) in one directory:
 * {@code ca.crt}; {@code server.crt}/{@code .key} for localhost and 127.0.0.1 (the node's), also as
 * {@code s3.p12} (S3Proxy's, password {@value #STORE_PASSWORD}); {@code client.crt}/{@code .key}
 * (the agent's), and its key again in the traditional PKCS#1 form as {@code client-pkcs1.key}, as
 * cert-manager writes RSA keys by default. RSA keys throughout.
 */
public final class BackupTlsFiles {
  public static final String STORE_PASSWORD = "storepass";

  private BackupTlsFiles() {}

  public static void write(Path dir) {
    TestCertificates ca = TestCertificates.authority("vigil-test-ca");
    ca.writeCertificate(dir.resolve("ca.crt"));
    TestCertificates.Issued server = ca.issueRsa("localhost", "127.0.0.1", "localhost");
    server.writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));
    server.writeKeyStore(dir.resolve("s3.p12"), STORE_PASSWORD);
    TestCertificates.Issued client = ca.issueRsa("vigil-backup");
    client.writeTo(dir.resolve("client.crt"), dir.resolve("client.key"));
    client.writeTraditionalKey(dir.resolve("client-pkcs1.key"));
  }
}
