package dev.vigil.operator.master;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * A group's certificate chain, private key and CA bundle (PEM), as read from its Secrets: what
 * the operator presents on its own links and what it expects a node to serve.
 */
public record TlsMaterial(String certPem, String keyPem, String caPem) {

  /** The certificates of a PEM text (a chain or a bundle), in order. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the leaf certificate (DER, hex): what a node serves once it has loaded this. */
  public String leafSha256() {
    try {
      return sha256(certificates(certPem).get(0).getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** SHA-256 of all three, hex: changes whenever anything a node should reload changes. */
  public String fingerprint() {
    return sha256((certPem + "\0" + keyPem + "\0" + caPem).getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + fingerprint().substring(0, 12) + "]";
  }
}
