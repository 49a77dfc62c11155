package dev.vigil.sentinel.cli;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** The CLI's TLS client options and context, one rule for every command that talks TLS. */
final class ClientTls {
  @picocli.CommandLine.Option(names = "--tls", description = "Use TLS (to daemons, and to nodes "
      + "where the command talks to them).")
  boolean tls;

  @picocli.CommandLine.Option(names = "--cacert", description = "CA certificate (PEM) to trust with --tls.")
  Path cacert;

  @picocli.CommandLine.Option(names = "--cert", description = "Client certificate (PEM) to present "
      + "with --tls, for a daemon or node with tls-auth-clients yes (as valkey-cli --cert).")
  Path cert;

  @picocli.CommandLine.Option(names = "--key", description = "Private key (PEM, PKCS#8 or PKCS#1) of --cert.")
  Path key;

  @picocli.CommandLine.Option(names = "--insecure", description = "With --tls, accept any "
      + "certificate (testing only).")
  boolean insecure;

  @picocli.CommandLine.Option(names = "--tls-ports", split = ",", paramLabel = "PORT",
      description = "During a migration to TLS only, instead of --tls: TLS to these ports (the "
      + "nodes' and daemons' TLS ports), plaintext to every other; init-node also writes the "
      + "tls-replication its node needs by the same rule.")
  java.util.List<Integer> tlsPorts = new java.util.ArrayList<>();

  /** The migration's TLS ports (none without --tls-ports). */
  dev.vigil.sentinel.config.TlsPorts ports() {
    return dev.vigil.sentinel.config.TlsPorts.of(tlsPorts);
  }

  /**
   * The context for a connection to {@code port}: {@code all} with --tls, or with --tls-ports
   * when the port is one of them; null for plaintext.
   */
  SslContext forPort(SslContext all, int port) {
    return tls || ports().tlsTo(port) ? all : null;
  }

  /**
   * @param verifyHostnames check the server's certificate names the host connected to (off only
   *     where the CLI connects to addresses it resolved itself, see InitNodeCommand)
   * @return the context, or null without {@code --tls} or {@code --tls-ports} (see
   *     {@link #forPort} for which links use it)
   */
  SslContext context(boolean verifyHostnames) throws SSLException {
    if (tls && !tlsPorts.isEmpty()) {
      // As the daemon's tls.ports against tls.replication: one rule per link, not a guess.
      throw new SSLException("--tls makes every link TLS, --tls-ports only some: use one");
    }
    if (!tls && tlsPorts.isEmpty()) {
      return null;
    }
    SslContextBuilder b = SslContextBuilder.forClient()
        .endpointIdentificationAlgorithm(verifyHostnames && !insecure ? "HTTPS" : null);
    if (insecure) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (cacert != null) {
      b.trustManager(cacert.toFile());
    }
    if ((cert == null) != (key == null)) {
      throw new SSLException("--cert and --key go together");
    }
    if (cert != null) {
      try {
        // cert-manager writes PKCS#1 RSA keys by default; Netty reads PKCS#8 only.
        String pkcs8 = dev.vigil.resp3.tls.PemKeys.pkcs8(Files.readString(key));
        b.keyManager(Files.newInputStream(cert),
            new ByteArrayInputStream(pkcs8.getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException | RuntimeException e) {
        throw new SSLException("cannot read --cert " + cert + " / --key " + key + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }
}
