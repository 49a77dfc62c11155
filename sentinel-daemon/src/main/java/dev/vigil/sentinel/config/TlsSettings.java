package dev.vigil.sentinel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Sentinel's TLS directives, with their meaning in Sentinel (defaults in reference.conf,
 * {@code vigil.tls}).
 *
 * @param port the TLS port for Sentinel clients and peers; 0 = no TLS listener
 * @param certFile server certificate chain (PEM), also the client certificate when no
 *     {@code clientCertFile} is set, as in Valkey
 * @param keyFile the private key of {@code certFile} (PEM, PKCS#8)
 * @param keyFilePass password of an encrypted {@code keyFile} (and {@code clientKeyFile}), or null
 * @param caCertFile CA bundle to verify peers and nodes with, or null
 * @param caCertDir directory of CA certificates, or null
 * @param authClients whether clients of the TLS port must present a certificate
 * @param replication connect to the monitored nodes and to peer daemons over TLS, and announce
 *     the TLS port to peers
 * @param protocols enabled protocol versions ("TLSv1.2", "TLSv1.3"); empty = the JDK's defaults
 * @param ciphers TLS 1.2 cipher suites, OpenSSL or IANA names; empty = the JDK's defaults
 * @param ciphersuites TLS 1.3 cipher suites; empty = the JDK's defaults
 * @param preferServerCiphers the server picks the suite by its own order
 * @param clientCertFile certificate for outbound links, or null to use {@code certFile}
 * @param clientKeyFile the key of {@code clientCertFile}, or null
 * @param reloadPeriod how often the files are checked for changes; zero = never
 * @param ports with {@code replication} off, the ports whose links speak TLS during a migration
 *     to TLS only (links to other ports stay plaintext); none = no migration
 */
public record TlsSettings(
    int port,
    Path certFile,
    Path keyFile,
    String keyFilePass,
    Path caCertFile,
    Path caCertDir,
    ClientAuth authClients,
    boolean replication,
    List<String> protocols,
    List<String> ciphers,
    List<String> ciphersuites,
    boolean preferServerCiphers,
    Path clientCertFile,
    Path clientKeyFile,
    Duration reloadPeriod,
    TlsPorts ports) {

  /** {@code tls-auth-clients}. */
  public enum ClientAuth {
    YES, NO, OPTIONAL;

    public static ClientAuth parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "yes" -> YES;
        case "no" -> NO;
        case "optional" -> OPTIONAL;
        default -> throw new IllegalArgumentException(
            "tls-auth-clients must be yes, no or optional, got '" + s + "'");
      };
    }
  }

  public TlsSettings {
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
    ciphersuites = List.copyOf(ciphersuites);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("tls-port out of range: " + port);
    }
    if ((clientCertFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException(
          "tls-client-cert-file and tls-client-key-file must be set together");
    }
    if (replication && ports.listed()) {
      // Two rules for one link would be a guess: the migration's ports name the TLS links,
      // tls-replication makes every link TLS (the migration's end).
      throw new IllegalArgumentException("tls ports " + ports + " are for a migration with "
          + "tls-replication off; with tls-replication on every link is TLS: set one of them");
    }
    // (Fields are not assigned yet in a compact constructor: use the parameters.)
    boolean used = port > 0 || replication || ports.listed();
    String why = port > 0 ? "tls-port" : replication ? "tls-replication" : "tls ports";
    if (used && (certFile == null || keyFile == null)) {
      throw new IllegalArgumentException(why + " needs tls-cert-file and tls-key-file");
    }
    if (used && caCertFile == null && caCertDir == null) {
      throw new IllegalArgumentException(why + " needs tls-ca-cert-file or tls-ca-cert-dir");
    }
    if (reloadPeriod.isNegative()) {
      throw new IllegalArgumentException("tls reload-period must not be negative");
    }
  }

  /** TLS anywhere: a TLS listener, or outbound links over TLS. */
  public boolean inUse() {
    return port > 0 || replication || ports.listed();
  }

  /**
   * Whether this daemon's link to {@code port} (a node's or a peer's) speaks TLS: every link with
   * tls-replication, as in Sentinel; during a migration, those to the listed ports.
   */
  public boolean tlsTo(int port) {
    return replication || ports.tlsTo(port);
  }

  /** The certificate outbound links present. */
  public Path outboundCertFile() {
    return clientCertFile != null ? clientCertFile : certFile;
  }

  /** The key of {@link #outboundCertFile()}. */
  public Path outboundKeyFile() {
    return clientKeyFile != null ? clientKeyFile : keyFile;
  }
}
