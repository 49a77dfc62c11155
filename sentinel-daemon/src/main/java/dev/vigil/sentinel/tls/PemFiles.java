package dev.vigil.sentinel.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads PEM certificates and keys the way Valkey's directives name them, turning every failure
 * into one line that names the directive, the file and the reason.
 */
final class PemFiles {
  private PemFiles() {}

  static byte[] read(String directive, Path file) throws TlsFileException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(directive + " " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new TlsFileException(directive + " " + file + ": not readable (permission denied)");
    } catch (IOException e) {
      throw new TlsFileException(directive + " " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Every certificate in a PEM file, in order (a chain: the leaf first). */
  static List<X509Certificate> certificates(String directive, Path file) throws TlsFileException {
    byte[] bytes = read(directive, file);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      cf.generateCertificates(new ByteArrayInputStream(bytes))
          .forEach(c -> out.add((X509Certificate) c));
    } catch (CertificateException e) {
      throw new TlsFileException(directive + " " + file + ": not a PEM certificate ("
          + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw new TlsFileException(directive + " " + file + ": no certificate in it");
    }
    return out;
  }

  /** The certificates of every readable certificate file in a directory (others are skipped). */
  static List<X509Certificate> directory(String directive, Path dir) throws TlsFileException {
    if (!Files.isDirectory(dir)) {
      throw new TlsFileException(directive + " " + dir + ": not a directory");
    }
    List<X509Certificate> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
          try {
            out.addAll(certificates(directive, f));
          } catch (TlsFileException notACertificate) {
            // OpenSSL's CA directories also hold CRLs and other files; only certificates count.
          }
        }
      }
    } catch (IOException e) {
      throw new TlsFileException(directive + " " + dir + ": cannot list (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw new TlsFileException(directive + " " + dir + ": no certificate in it");
    }
    return out;
  }

  /** A private key: PKCS#8 (optionally encrypted with {@code password}) or PKCS#1 RSA. */
  static PrivateKey key(String directive, Path file, String password) throws TlsFileException {
    byte[] bytes = read(directive, file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      text = dev.vigil.resp3.tls.PemKeys.pkcs8(text);
    } else if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new TlsFileException(directive + " " + file + ": SEC1 EC keys are not supported; "
          + "convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
    } else if (!text.contains("PRIVATE KEY-----")) {
      throw new TlsFileException(directive + " " + file + ": no PEM private key in it");
    }
    try {
      return jdkKey(ReloadableSslContext.readKey(text, password));
    } catch (Exception e) {
      String why = password == null && text.contains("ENCRYPTED")
          ? "the key is encrypted and tls-key-file-pass is not set"
          : "cannot read the private key (" + e.getMessage() + ")";
      throw new TlsFileException(directive + " " + file + ": " + why, e);
    }
  }

  /**
   * The same key as a JDK key object: with BouncyCastle on the class path Netty returns its keys
   * ("ECDSA"), which the JDK's signature and TLS code do not all accept.
   */
  private static PrivateKey jdkKey(PrivateKey key) throws java.security.GeneralSecurityException {
    if (!key.getAlgorithm().equals("ECDSA")) {
      return key;
    }
    return java.security.KeyFactory.getInstance("EC")
        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
  }

  /** Fails unless {@code key} is the private half of the certificate's public key. */
  static void checkPair(String keyDirective, Path keyFile, PrivateKey key, Path certFile,
      X509Certificate cert) throws TlsFileException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return; // an unusual key type: the handshake will tell
    }
    try {
      byte[] probe = "vigil key check".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(cert.getPublicKey());
      verify.update(probe);
      if (verify.verify(signature)) {
        return;
      }
    } catch (java.security.GeneralSecurityException e) {
      // a key of another type than the certificate's: does not match either
    }
    throw new TlsFileException(keyDirective + " " + keyFile + ": the key does not match the "
        + "certificate in " + certFile + " (" + cert.getSubjectX500Principal().getName() + ")");
  }
}
