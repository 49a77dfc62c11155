package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A blocking connection for CLI commands: one daemon or node, bounded waits, clear errors. */
final class DaemonConnection implements AutoCloseable {
  private final RespConnection connection;
  private final long timeoutMs;

  private DaemonConnection(RespConnection connection, long timeoutMs) {
    this.connection = connection;
    this.timeoutMs = timeoutMs;
  }

  static DaemonConnection open(RespClient client, Address a, String password, Duration timeout)
      throws java.io.IOException {
    return open(client, a, null, password, null, timeout);
  }

  static DaemonConnection open(RespClient client, Address a, String user, String password,
      io.netty.handler.ssl.SslContext ssl, Duration timeout) throws java.io.IOException {
    RespClientOptions o = RespClientOptions.of(a.host(), a.port()).withConnectTimeout(timeout)
        .withCommandTimeout(timeout).withClientName("vigil-cli");
    if (password != null && !password.isEmpty()) {
      o = o.withAuth(user == null || user.isEmpty() ? null : user, password);
    }
    if (ssl != null) {
      o = o.withSsl(ssl);
    }
    try {
      return new DaemonConnection(client.connect(o).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS),
          timeout.toMillis());
    } catch (ExecutionException e) {
      throw new java.io.IOException(a + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new java.io.IOException(a + ": no connection within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException(a + ": interrupted", e);
    }
  }

  RespValue command(Object... args) throws java.io.IOException {
    try {
      return connection.send(args).get(timeoutMs * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new java.io.IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new java.io.IOException("no reply within " + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
