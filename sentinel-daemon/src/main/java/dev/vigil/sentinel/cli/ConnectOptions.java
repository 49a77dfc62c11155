package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.Address;
import io.netty.handler.ssl.SslContext;
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

  @picocli.CommandLine.Mixin ClientTls tls = new ClientTls();

  @Option(names = "--timeout-ms", defaultValue = "2000",
      description = "Connect and reply timeout (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  Duration timeout() {
    return Duration.ofMillis(timeoutMs);
  }

  /**
   * The context for {@code a}: a daemon or node given by name must be named by its certificate;
   * one given by IP address is checked against the CA only, as the daemons and init-node do
   * (certificates for pod IPs rarely exist).
   */
  SslContext ssl(Address a) throws javax.net.ssl.SSLException {
    return tls.context(!a.isIpLiteral());
  }
}
