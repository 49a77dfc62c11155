package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.Address;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How the diagnostic commands reach the daemons (and, for diagnose and status, the nodes). */
final class ConnectOptions {
  @Option(names = {"-s", "--sentinel"}, split = ",", converter = AddressConverter.class,
      paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:26379",
      description = "Daemon to ask; repeat or separate with commas for several "
          + "(default: ${DEFAULT-VALUE}).")
  List<Address> sentinels = new ArrayList<>();

  @Option(names = "--user", defaultValue = "${env:VIGIL_SENTINEL_USER}",
      description = "ACL user for the daemons (default: $VIGIL_SENTINEL_USER).")
  String user;

  @Option(names = "--password", defaultValue = "${env:VIGIL_SENTINEL_PASSWORD}",
      description = "Password for the daemons (default: $VIGIL_SENTINEL_PASSWORD).")
  String password;

  @Option(names = "--node-password", defaultValue = "${env:VIGIL_AUTH_PASS}",
      description = "Password for the Valkey nodes, when commands talk to them "
          + "(default: $VIGIL_AUTH_PASS).")
  String nodePassword;

  @Option(names = "--tls", description = "Use TLS to daemons and nodes.")
  boolean tls;

  @Option(names = "--cacert", description = "CA certificate (PEM) to trust with --tls.")
  Path cacert;

  @Option(names = "--cert", description = "Client certificate (PEM) to present with --tls, "
      + "for a daemon or node with tls-auth-clients yes (as valkey-cli --cert).")
  Path cert;

  @Option(names = "--key", description = "Private key (PEM, PKCS#8 or PKCS#1) of --cert.")
  Path key;

  @Option(names = "--insecure", description = "With --tls, accept any certificate (testing only).")
  boolean insecure;

  @Option(names = "--timeout-ms", defaultValue = "2000",
      description = "Connect and reply timeout (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  Duration timeout() {
    return Duration.ofMillis(timeoutMs);
  }

  SslContext ssl() throws javax.net.ssl.SSLException {
    return ClientTls.context(tls, insecure, cacert, cert, key, true);
  }
}
