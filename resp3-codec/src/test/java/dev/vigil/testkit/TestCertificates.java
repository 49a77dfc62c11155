package dev.vigil.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made in the test: a CA, and leaf certificates it signs with the
 * names given (IP addresses become IP SANs, anything else DNS SANs), usable as server and client
 * certificates both, as cert-manager issues them for Valkey. Written as PEM, the key as PKCS#8.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(String name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A certificate and its key, signed by {@code issuer}. */
  public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }

    /** Writes the certificate and key as PEM files (replacing what is there). */
    public void writeTo(Path certFile, Path keyFile) {
      TestCertificates.write(certFile, certificate);
      TestCertificates.write(keyFile, key);
    }

    /**
     * Writes the key in the traditional OpenSSL form (PKCS#1 {@code RSA PRIVATE KEY} for an RSA
     * key), as cert-manager does by default.
     */
    public void writeTraditionalKey(Path keyFile) {
      TestCertificates.writeText(keyFile, TestCertificates.traditionalPem(key));
    }

    /** A JDK SSLContext presenting this certificate and trusting {@code trusted}. */
    public SSLContext sslContext(X509Certificate... trusted) {
      return TestCertificates.sslContext(this, trusted);
    }

    /** Writes the key and its chain as a PKCS#12 key store (for a Java server such as S3Proxy). */
    public void writeKeyStore(Path file, String password) {
      try (var out = Files.newOutputStream(file)) {
        TestCertificates.keyStore(this, password.toCharArray()).store(out, password.toCharArray());
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A new self-signed CA. */
  public static TestCertificates authority(String commonName) {
    KeyPair keys = newKeys();
    Instant now = Instant.now();
    X509Certificate cert = sign(new X500Name("CN=" + commonName), keys, keys,
        new X500Name("CN=" + commonName), now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(2)), true, List.of());
    return new TestCertificates(commonName, keys, cert);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A leaf with an RSA key (2048 bits), valid from an hour ago for two days. */
  public Issued issueRsa(String commonName, String... names) {
    KeyPair leaf;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      leaf = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Instant now = Instant.now();
    X509Certificate cert = sign(new X500Name("CN=" + name), keys, leaf,
        new X500Name("CN=" + commonName), now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(2)), false, List.of(names));
    return new Issued(cert, leaf.getPrivate(), certificate);
  }

  /** A leaf valid from an hour ago for two days, for {@code names}. */
  public Issued issue(String commonName, String... names) {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), names);
  }

  /** A leaf valid between the given instants (in the past for an expired one). */
  public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... names) {
    KeyPair leaf = newKeys();
    X509Certificate cert = sign(new X500Name("CN=" + name), keys, leaf,
        new X500Name("CN=" + commonName), notBefore, notAfter, false, List.of(names));
    return new Issued(cert, leaf.getPrivate(), certificate);
  }

  /** Writes this CA's certificate as PEM. */
  public void writeCertificate(Path file) {
    write(file, certificate);
  }

  /**
   * The usual layout for a loopback test: {@code ca.crt}, and {@code NAME.crt}/{@code NAME.key}
   * for 127.0.0.1 and localhost, in {@code dir}.
   */
  public TlsFiles writeLoopback(Path dir, String name) {
    Issued leaf = issue(name, "127.0.0.1", "localhost");
    Path ca = dir.resolve("ca.crt");
    writeCertificate(ca);
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    leaf.writeTo(cert, key);
    return new TlsFiles(ca, cert, key, leaf.sslContext(certificate));
  }

  /** A PKCS#12 key store holding {@code identity} (none when null) with its chain. */
  static KeyStore keyStore(Issued identity, char[] password)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    if (identity != null) {
      ks.setKeyEntry("me", identity.key(), password,
          new X509Certificate[] {identity.certificate(), identity.issuer()});
    }
    return ks;
  }

  static SSLContext sslContext(Issued identity, X509Certificate... trusted) {
    try {
      char[] pass = "test".toCharArray();
      KeyStore ks = keyStore(identity, pass);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      for (int i = 0; i < trusted.length; i++) {
        ts.setCertificateEntry("ca" + i, trusted[i]);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, KeyPair subjectKeys,
      X500Name subject, Instant notBefore, Instant notAfter, boolean ca, List<String> names) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          subject, subjectKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
          sans.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
        }
        if (!sans.isEmpty()) {
          b.addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isIp(String s) {
    if (!s.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      InetAddress.getByName(s);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** PEM of a certificate or a private key (PKCS#8). */
  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o instanceof PrivateKey k
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate() : o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String traditionalPem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static void write(Path file, Object o) {
    writeText(file, pem(o));
  }

  static void writeText(Path file, String text) {
    try {
      // Written beside and moved in, so a watcher never reads half a file.
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
