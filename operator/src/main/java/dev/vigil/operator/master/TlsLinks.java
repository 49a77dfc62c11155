package dev.vigil.operator.master;

import dev.vigil.resp3.tls.PemKeys;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which of the operator's links use TLS, and with what: each TLS-only cluster registers its
 * material and the hosts (pod IPs) of its nodes and daemons; connections to those hosts are made
 * with a client context presenting the group's certificate and trusting only its CA bundle.
 *
 * <p>The operator dials pod IPs, which no certificate names, so the host name is not checked:
 * the chain, against the cluster's own CA, is what authenticates the other side.
 */
public final class TlsLinks {
  private record Entry(String fingerprint, SslContext ssl, Set<String> hosts) {}

  private final Map<String, Entry> byCluster = new ConcurrentHashMap<>();

  /** Sets (or with an empty material, clears) a cluster's TLS links. */
  public void use(String clusterKey, Optional<TlsMaterial> material, Collection<String> hosts) {
    if (material.isEmpty()) {
      byCluster.remove(clusterKey);
      return;
    }
    TlsMaterial m = material.get();
    Entry before = byCluster.get(clusterKey);
    SslContext ssl;
    try {
      ssl = before != null && before.fingerprint().equals(m.fingerprint()) ? before.ssl() : context(m, x -> { });
    } catch (SSLException | RuntimeException e) {
      // Unusable material (a key that does not parse): no context, connections stay as they were.
      throw new IllegalArgumentException("cannot use the TLS material of " + clusterKey + ": " + e.getMessage(), e);
    }
    byCluster.put(clusterKey, new Entry(m.fingerprint(), ssl, Set.copyOf(hosts)));
  }

  /** The context for a host, or null for plain TCP. */
  public SslContext sslFor(String host) {
    for (Entry e : byCluster.values()) {
      if (e.hosts().contains(host)) {
        return e.ssl();
      }
    }
    return null;
  }

  /**
   * A client context presenting the material's certificate and trusting its CA bundle;
   * {@code presented} hears the leaf certificate the server showed, once it is trusted.
   */
  public static SslContext context(TlsMaterial m, Consumer<X509Certificate> presented) throws SSLException {
    X509ExtendedTrustManager trust = trustManager(m.caPem());
    return SslContextBuilder.forClient()
        .keyManager(new ByteArrayInputStream(m.certPem().getBytes(StandardCharsets.UTF_8)),
            new ByteArrayInputStream(PemKeys.pkcs8(m.keyPem()).getBytes(StandardCharsets.UTF_8)))
        .trustManager(new Recording(trust, presented))
        .endpointIdentificationAlgorithm(null)
        .build();
  }

  private static X509ExtendedTrustManager trustManager(String caPem) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate ca : TlsMaterial.certificates(caPem)) {
        ks.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(ks);
      for (var tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509 trust manager");
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("CA bundle: " + e.getMessage(), e);
    }
  }

  /** Delegates every check, and reports the leaf a server presented once it passed. */
  private static final class Recording extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager d;
    private final Consumer<X509Certificate> presented;

    Recording(X509ExtendedTrustManager d, Consumer<X509Certificate> presented) {
      this.d = d;
      this.presented = presented;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      d.checkServerTrusted(chain, authType, engine);
      presented.accept(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws CertificateException {
      d.checkServerTrusted(chain, authType, socket);
      presented.accept(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      d.checkServerTrusted(chain, authType);
      presented.accept(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      d.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws CertificateException {
      d.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      d.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return d.getAcceptedIssuers();
    }
  }
}
