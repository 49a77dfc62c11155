package dev.vigil.sentinel.tls;

import dev.vigil.sentinel.config.TlsSettings;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * One consistent set of TLS material read from the configured files: the server and client
 * contexts built from it, and what to say about it in the log.
 *
 * @param server context for the TLS listener
 * @param client context for outbound links (nodes, peers)
 * @param serverCertificate the leaf certificate the listener presents
 * @param clientCertificate the leaf certificate outbound links present
 * @param warnings settings that could not be honoured as written (logged, not fatal)
 */
public record TlsMaterial(SslContext server, SslContext client, SslContext clientByAddress,
    X509Certificate serverCertificate, X509Certificate clientCertificate, List<String> warnings) {

  /**
   * Reads and checks every file, then builds both contexts.
   *
   * @param verifyHostnames check the peer's certificate against the host name or address dialled
   *     (announce-hostnames / resolve-hostnames)
   * @throws TlsFileException naming the directive, the file and what is wrong with it
   */
  public static TlsMaterial load(TlsSettings s, boolean verifyHostnames) throws TlsFileException {
    List<String> warnings = new ArrayList<>();
    List<X509Certificate> chain = PemFiles.certificates("tls-cert-file", s.certFile());
    PrivateKey key = PemFiles.key("tls-key-file", s.keyFile(), s.keyFilePass());
    PemFiles.checkPair("tls-key-file", s.keyFile(), key, s.certFile(), chain.get(0));
    List<X509Certificate> clientChain = chain;
    PrivateKey clientKey = key;
    if (s.clientCertFile() != null) {
      clientChain = PemFiles.certificates("tls-client-cert-file", s.clientCertFile());
      clientKey = PemFiles.key("tls-client-key-file", s.clientKeyFile(), s.keyFilePass());
      PemFiles.checkPair("tls-client-key-file", s.clientKeyFile(), clientKey, s.clientCertFile(),
          clientChain.get(0));
    }
    List<X509Certificate> cas = new ArrayList<>();
    if (s.caCertFile() != null) {
      cas.addAll(PemFiles.certificates("tls-ca-cert-file", s.caCertFile()));
    }
    if (s.caCertDir() != null) {
      cas.addAll(PemFiles.directory("tls-ca-cert-dir", s.caCertDir()));
    }
    TrustManager trust = trustManager(cas);
    List<String> suites = cipherSuites(s, warnings);
    try {
      SslContextBuilder server = SslContextBuilder.forServer(key, chain)
          .sslProvider(SslProvider.JDK)
          .trustManager(trust)
          .clientAuth(switch (s.authClients()) {
            case YES -> ClientAuth.REQUIRE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case NO -> ClientAuth.NONE;
          });
      // Valkey and Sentinel check no host name; Vigil does when names are what peers are dialled
      // by, since then the certificate can carry them. A peer dialled by an IP address (a pod of
      // a Deployment, announcing its pod IP) is checked against the CA only, as everywhere in
      // Valkey: certificates for pod IPs rarely exist.
      SslContextBuilder client = clientBuilder(s, clientKey, clientChain, trust, suites)
          .endpointIdentificationAlgorithm(verifyHostnames ? "HTTPS" : null);
      SslContextBuilder byAddress = clientBuilder(s, clientKey, clientChain, trust, suites)
          .endpointIdentificationAlgorithm(null);
      if (!s.protocols().isEmpty()) {
        server.protocols(s.protocols());
      }
      if (!suites.isEmpty()) {
        server.ciphers(suites, SupportedCipherSuiteFilter.INSTANCE);
      }
      SslContext verifying = client.build();
      return new TlsMaterial(server.build(), verifying, verifyHostnames ? byAddress.build() : verifying,
          chain.get(0), clientChain.get(0), List.copyOf(warnings));
    } catch (SSLException | IllegalArgumentException e) {
      throw new TlsFileException("tls settings: " + e.getMessage(), e);
    }
  }

  private static SslContextBuilder clientBuilder(TlsSettings s, PrivateKey key, List<X509Certificate> chain,
      TrustManager trust, List<String> suites) {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).keyManager(key, chain)
        .trustManager(trust);
    if (!s.protocols().isEmpty()) {
      b.protocols(s.protocols());
    }
    if (!suites.isEmpty()) {
      b.ciphers(suites, SupportedCipherSuiteFilter.INSTANCE);
    }
    return b;
  }

  /** Refusals name the daemon's own settings. */
  static final dev.vigil.resp3.tls.PeerCertificateException.Hints HINTS =
      new dev.vigil.resp3.tls.PeerCertificateException.Hints("tls-ca-cert-file/tls-ca-cert-dir",
          "when announce-hostnames or resolve-hostnames is on");

  static TrustManager trustManager(List<X509Certificate> cas) throws TlsFileException {
    try {
      return dev.vigil.resp3.tls.DescribingTrustManager.trusting(cas, HINTS);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsFileException("tls-ca-cert-file: cannot use the CA certificates ("
          + e.getMessage() + ")", e);
    }
  }


  /**
   * tls-ciphers and tls-ciphersuites as JDK names. OpenSSL cipher-string keywords have no JDK
   * meaning: a list with any of them is warned about and the JDK's defaults are kept.
   */
  private static List<String> cipherSuites(TlsSettings s, List<String> warnings)
      throws TlsFileException {
    List<String> named = new ArrayList<>(s.ciphers());
    named.addAll(s.ciphersuites());
    if (named.isEmpty()) {
      return List.of();
    }
    Set<String> supported;
    try {
      supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (GeneralSecurityException e) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String name : named) {
      String java = name.startsWith("TLS_") || name.startsWith("SSL_") ? name
          : CipherSuiteConverter.toJava(name, "TLS");
      if (java == null || !java.matches("[A-Z0-9_]+")) {
        warnings.add("tls-ciphers/tls-ciphersuites '" + String.join(":", named) + "': '" + name
            + "' is not a cipher suite name (OpenSSL cipher-string keywords are not supported);"
            + " the JDK's default suites are used");
        return List.of();
      }
      out.add(java);
    }
    if (out.stream().noneMatch(supported::contains)) {
      throw new TlsFileException("tls-ciphers/tls-ciphersuites: none of " + out
          + " is supported by this JDK; supported: " + Arrays.toString(supported.stream().sorted()
          .limit(8).toArray()) + "...");
    }
    return List.copyOf(out);
  }

  /** The files this material was read from, to notice when they change. */
  static List<Path> files(TlsSettings s) {
    List<Path> out = new ArrayList<>();
    for (Path p : new Path[] {s.certFile(), s.keyFile(), s.caCertFile(), s.caCertDir(),
        s.clientCertFile(), s.clientKeyFile()}) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }
}
