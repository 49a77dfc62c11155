package dev.vigil.sentinel.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;

/**
 * An SslContext whose material can be swapped while connections use it: every new engine comes
 * from the current context, engines already made keep theirs. This is how rotated certificates
 * reach new connections (and reconnects, which reuse their options) without dropping old ones.
 */
public final class ReloadableSslContext extends SslContext {
  private final boolean preferServerCiphers;
  private volatile SslContext current;

  ReloadableSslContext(SslContext initial, boolean preferServerCiphers) {
    this.current = Objects.requireNonNull(initial);
    this.preferServerCiphers = preferServerCiphers;
  }

  void swap(SslContext next) {
    this.current = Objects.requireNonNull(next);
  }

  @Override
  public boolean isClient() {
    return current.isClient();
  }

  @Override
  public List<String> cipherSuites() {
    return current.cipherSuites();
  }

  @Override
  public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
    return current.applicationProtocolNegotiator();
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc) {
    return configure(current.newEngine(alloc));
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return configure(current.newEngine(alloc, peerHost, peerPort));
  }

  @Override
  public SSLSessionContext sessionContext() {
    return current.sessionContext();
  }

  /** tls-prefer-server-ciphers, which Netty's builder has no setting for. */
  private SSLEngine configure(SSLEngine engine) {
    if (preferServerCiphers && !engine.getUseClientMode()) {
      SSLParameters p = engine.getSSLParameters();
      p.setUseCipherSuitesOrder(true);
      engine.setSSLParameters(p);
    }
    return engine;
  }

  /** Netty's PKCS#8 reader (plain or encrypted, PBES1 and PBES2), reached through this subclass. */
  static PrivateKey readKey(String pem, String password) throws Exception {
    return SslContext.toPrivateKey(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)), password);
  }
}
