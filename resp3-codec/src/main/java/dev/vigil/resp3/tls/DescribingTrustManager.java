package dev.vigil.resp3.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager, whose refusals say whose certificate was refused and why (the JDK's
 * own message names neither the subject nor, for an expired certificate, the date).
 */
public final class DescribingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final PeerCertificateException.Hints hints;

  public DescribingTrustManager(X509ExtendedTrustManager delegate, PeerCertificateException.Hints hints) {
    this.delegate = delegate;
    this.hints = hints;
  }

  /** The JDK's trust manager for exactly these CAs, describing its refusals. */
  public static DescribingTrustManager trusting(List<X509Certificate> cas,
      PeerCertificateException.Hints hints) throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new DescribingTrustManager(x, hints);
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }

  /** The CA certificates of a PEM file (one or several, as a CA bundle during a rotation). */
  public static List<X509Certificate> certificates(java.nio.file.Path pem)
      throws GeneralSecurityException, java.io.IOException {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
      List<X509Certificate> out = new java.util.ArrayList<>();
      for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new java.security.cert.CertificateException("no certificate in " + pem);
      }
      return out;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw new PeerCertificateException(chain, e, hints);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
