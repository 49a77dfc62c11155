package dev.vigil.backup.repl;

import dev.vigil.resp3.client.RespClientOptions;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the node a backup is taken from.
 *
 * @param host node host
 * @param port node port
 * @param user ACL user, or null for the default user
 * @param password password, or null for none
 * @param ssl TLS context (client mode), or null for plain TCP
 * @param connectTimeout TCP connect and TLS handshake timeout
 * @param idleTimeout longest silence from the node (keep-alives count) before giving up
 */
public record NodeEndpoint(String host, int port, String user, String password, SslContext ssl,
    Duration connectTimeout, Duration idleTimeout) {

  public NodeEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The same node for the project's RESP client (for INFO and the like). */
  public RespClientOptions clientOptions() {
    return RespClientOptions.of(host, port).withConnectTimeout(connectTimeout)
        .withCommandTimeout(Duration.ofSeconds(10)).withAuth(user, password).withSsl(ssl)
        .withClientName("vigil-backup");
  }
}
