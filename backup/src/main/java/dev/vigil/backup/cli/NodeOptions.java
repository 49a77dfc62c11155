package dev.vigil.backup.cli;

import dev.vigil.backup.repl.NodeEndpoint;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Option;

/** The node a backup reads from. */
final class NodeOptions {
  @Option(names = "--node", required = true, paramLabel = "HOST:PORT",
      description = "Node to take the RDB from: a replica with its link up, or the master.")
  String node;

  @Option(names = "--node-user", defaultValue = "${env:VIGIL_AUTH_USER}",
      description = "ACL user for the node (default: $VIGIL_AUTH_USER; it needs the "
          + "replication rights: +psync +replconf, or +@admin).")
  String user;

  @Option(names = "--node-password", defaultValue = "${env:VIGIL_AUTH_PASS}",
      description = "Password for the node (default: $VIGIL_AUTH_PASS).")
  String password;

  @Option(names = "--tls", description = "TLS to the node.")
  boolean tls;

  @Option(names = "--cacert", paramLabel = "PEM", description = "CA (PEM) to trust with --tls.")
  Path cacert;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Client certificate (PEM) with --tls, for tls-auth-clients yes.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "Client key (PEM, PKCS#8) for --tls-cert.")
  Path key;

  @Option(names = "--insecure", description = "With --tls, accept any certificate (testing only).")
  boolean insecure;

  @Option(names = "--connect-timeout-ms", defaultValue = "5000",
      description = "TCP connect and TLS handshake timeout (default: ${DEFAULT-VALUE}).")
  long connectTimeoutMs;

  @Option(names = "--idle-timeout-s", defaultValue = "120",
      description = "Longest silence from the node, its keep-alives while it saves count "
          + "(default: ${DEFAULT-VALUE}).")
  long idleTimeoutS;

  NodeEndpoint endpoint() throws SSLException {
    int colon = node.lastIndexOf(':');
    if (colon <= 0 || colon == node.length() - 1) {
      throw new IllegalArgumentException("--node must be HOST:PORT, got " + node);
    }
    String host = node.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(node.substring(colon + 1));
    return new NodeEndpoint(host, port, user, password, ssl(), Duration.ofMillis(connectTimeoutMs),
        Duration.ofSeconds(idleTimeoutS));
  }

  private static final dev.vigil.resp3.tls.PeerCertificateException.Hints HINTS =
      new dev.vigil.resp3.tls.PeerCertificateException.Hints("--cacert",
          "against the host of --node");

  private SslContext ssl() throws SSLException {
    if (!tls) {
      return null;
    }
    SslContextBuilder b = SslContextBuilder.forClient();
    if (insecure) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (cacert != null) {
      // The JDK's trust manager, whose refusals name the certificate and the reason (the OpenSSL
      // engine reports a refusal as "General OpenSslEngine problem" otherwise).
      try {
        b.trustManager(dev.vigil.resp3.tls.DescribingTrustManager.trusting(
            dev.vigil.resp3.tls.DescribingTrustManager.certificates(cacert), HINTS));
      } catch (java.security.GeneralSecurityException | java.io.IOException e) {
        throw new SSLException("--cacert " + cacert + ": " + e.getMessage(), e);
      }
    }
    if (cert != null) {
      // Without --tls-key the key is in the certificate's file, after it.
      b.keyManager(new java.io.ByteArrayInputStream(read(cert)), pkcs8(key == null ? cert : key));
    }
    return b.build();
  }

  /** The key as Netty reads it: a PKCS#1 RSA key (cert-manager's default) rewrapped as PKCS#8. */
  private static java.io.InputStream pkcs8(java.nio.file.Path key) throws SSLException {
    String pem = new String(read(key), java.nio.charset.StandardCharsets.US_ASCII);
    return new java.io.ByteArrayInputStream(dev.vigil.resp3.tls.PemKeys.pkcs8(pem)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] read(java.nio.file.Path file) throws SSLException {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new SSLException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
