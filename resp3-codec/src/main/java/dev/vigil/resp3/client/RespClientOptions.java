package dev.vigil.resp3.client;

import dev.vigil.resp3.codec.RespLimits;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and greet one server.
 *
 * @param host server host name or address
 * @param port server port
 * @param connectTimeout TCP connect (and TLS handshake) timeout; default 2 s
 * @param commandTimeout per-command reply timeout, zero for none; default 5 s
 * @param user ACL user for AUTH, or null for the default user
 * @param password password for AUTH, or null for none
 * @param clientName CLIENT SETNAME sent in the greeting, or null
 * @param resp3 greet with {@code HELLO 3} (falling back to RESP2 when the server lacks HELLO);
 *     false to speak RESP2 from the start
 * @param ssl TLS context (client mode), or null for plain TCP
 * @param reconnect reconnect policy, or null to stay closed once the connection is lost
 * @param limits decoder limits for what the server sends
 */
public record RespClientOptions(
    String host,
    int port,
    Duration connectTimeout,
    Duration commandTimeout,
    String user,
    String password,
    String clientName,
    boolean resp3,
    SslContext ssl,
    ReconnectPolicy reconnect,
    RespLimits limits) {

  public RespClientOptions {
    Objects.requireNonNull(host, "host");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(limits, "limits");
  }

  public static RespClientOptions of(String host, int port) {
    return new RespClientOptions(host, port, Duration.ofSeconds(2), Duration.ofSeconds(5), null,
        null, null, true, null, null, RespLimits.DEFAULT);
  }

  public RespClientOptions withConnectTimeout(Duration d) {
    return new RespClientOptions(host, port, d, commandTimeout, user, password, clientName, resp3,
        ssl, reconnect, limits);
  }

  public RespClientOptions withCommandTimeout(Duration d) {
    return new RespClientOptions(host, port, connectTimeout, d, user, password, clientName, resp3,
        ssl, reconnect, limits);
  }

  public RespClientOptions withAuth(String user, String password) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password,
        clientName, resp3, ssl, reconnect, limits);
  }

  public RespClientOptions withClientName(String name) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password, name,
        resp3, ssl, reconnect, limits);
  }

  public RespClientOptions withResp3(boolean resp3) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password,
        clientName, resp3, ssl, reconnect, limits);
  }

  public RespClientOptions withSsl(SslContext ssl) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password,
        clientName, resp3, ssl, reconnect, limits);
  }

  public RespClientOptions withReconnect(ReconnectPolicy reconnect) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password,
        clientName, resp3, ssl, reconnect, limits);
  }

  public RespClientOptions withLimits(RespLimits limits) {
    return new RespClientOptions(host, port, connectTimeout, commandTimeout, user, password,
        clientName, resp3, ssl, reconnect, limits);
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
