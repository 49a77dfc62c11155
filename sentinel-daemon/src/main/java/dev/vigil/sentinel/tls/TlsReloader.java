package dev.vigil.sentinel.tls;

import dev.vigil.sentinel.config.ConfigException;
import dev.vigil.sentinel.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the daemon's TLS contexts: reads the files at start (a bad file fails the start), then
 * checks them every reload-period and swaps in new material when their content changed. New
 * connections get the new material; existing ones keep theirs. A bad new file is refused with
 * one log line (per distinct content) and the old material stays in use.
 */
public final class TlsReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

  private final TlsSettings settings;
  private final BooleanSupplier verifyHostnames;
  private final ReloadableSslContext server;
  private final ReloadableSslContext client;
  private final ReloadableSslContext clientByAddress;
  private volatile X509Certificate serverCertificate;
  private String loaded;
  private String refused;
  private ScheduledFuture<?> task;

  /**
   * @throws ConfigException naming the file and the reason when the material cannot be used
   */
  public TlsReloader(TlsSettings settings, BooleanSupplier verifyHostnames) {
    this.settings = settings;
    this.verifyHostnames = verifyHostnames;
    String fingerprint = fingerprint();
    TlsMaterial m;
    try {
      m = TlsMaterial.load(settings, verifyHostnames.getAsBoolean());
    } catch (TlsFileException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    m.warnings().forEach(w -> log.warn("config: {}", w));
    this.server = new ReloadableSslContext(m.server(), settings.preferServerCiphers());
    this.client = new ReloadableSslContext(m.client(), false);
    this.clientByAddress = new ReloadableSslContext(m.clientByAddress(), false);
    this.serverCertificate = m.serverCertificate();
    this.loaded = fingerprint;
    log.info("TLS: presenting '{}' (valid until {}), re-read every {}",
        m.serverCertificate().getSubjectX500Principal().getName(),
        m.serverCertificate().getNotAfter().toInstant(), settings.reloadPeriod());
    warnIfExpired(m);
  }

  /** An expired certificate is loaded (as Valkey does) but said plainly: peers will refuse it. */
  private void warnIfExpired(TlsMaterial m) {
    java.time.Instant now = java.time.Instant.now();
    for (X509Certificate c : java.util.stream.Stream.of(m.serverCertificate(),
        m.clientCertificate()).distinct().toList()) {
      if (now.isAfter(c.getNotAfter().toInstant())) {
        log.warn("TLS: the certificate '{}' expired on {}; peers and clients will refuse it",
            c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant());
      }
    }
  }

  /** Checks the files every reload-period on {@code executor} (nothing when the period is 0). */
  public synchronized void start(ScheduledExecutorService executor) {
    long ms = settings.reloadPeriod().toMillis();
    if (ms > 0) {
      task = executor.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Re-reads the files if their content (or the hostname-verification setting) changed.
   *
   * @return true when new material was swapped in
   */
  public synchronized boolean check() {
    String fingerprint = fingerprint();
    if (fingerprint.equals(loaded) || fingerprint.equals(refused)) {
      return false;
    }
    try {
      TlsMaterial m = TlsMaterial.load(settings, verifyHostnames.getAsBoolean());
      server.swap(m.server());
      client.swap(m.client());
      clientByAddress.swap(m.clientByAddress());
      serverCertificate = m.serverCertificate();
      loaded = fingerprint;
      refused = null;
      log.info("TLS: files changed, new connections present '{}' (valid until {})",
          m.serverCertificate().getSubjectX500Principal().getName(),
          m.serverCertificate().getNotAfter().toInstant());
      warnIfExpired(m);
      return true;
    } catch (TlsFileException | RuntimeException e) {
      refused = fingerprint;
      log.warn("TLS: changed files refused, keeping the material loaded before: {}",
          e.getMessage());
      return false;
    }
  }

  private String fingerprint() {
    return FileFingerprint.of(TlsMaterial.files(settings),
        verifyHostnames.getAsBoolean() ? "verify-hostnames" : "");
  }

  public SslContext server() {
    return server;
  }

  /**
   * The context for an outbound link to {@code host}: one dialled by an IP address is checked
   * against the CA only, one dialled by name against the name too (with host names on).
   */
  public SslContext clientFor(String host) {
    return dev.vigil.sentinel.config.Address.isIpLiteral(host) ? clientByAddress : client;
  }

  /** The certificate new TLS connections to this daemon are shown. */
  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
