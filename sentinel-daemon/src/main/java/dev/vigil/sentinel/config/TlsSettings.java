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
    Duration reloadPeriod) {

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
    // (Fields are not assigned yet in a compact constructor: use the parameters.)
    boolean used = port > 0 || replication;
    if (used && (certFile == null || keyFile == null)) {
      throw new IllegalArgumentException((port > 0 ? "tls-port" : "tls-replication")
          + " needs tls-cert-file and tls-key-file");
    }
    if (used && caCertFile == null && caCertDir == null) {
      throw new IllegalArgumentException((port > 0 ? "tls-port" : "tls-replication")
          + " needs tls-ca-cert-file or tls-ca-cert-dir");
    }
    if (reloadPeriod.isNegative()) {
      throw new IllegalArgumentException("tls reload-period must not be negative");
    }
  }

  /** TLS anywhere: a TLS listener, or outbound links over TLS. */
  public boolean inUse() {
    return port > 0 || replication;
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
