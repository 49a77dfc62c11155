package dev.vigil.e2e;

import dev.vigil.testkit.AdminConnection;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * How a test client reaches daemons and nodes: in plaintext, or over TLS with the test CA's client
 * certificate (the topology's TLS-only listeners require one).
 *
 * @param tls the client's socket factory, or null for plaintext
 */
record Dial(SSLSocketFactory tls) {
  static final Dial PLAIN = new Dial(null);

  AdminConnection admin(String host, int port, int timeoutMillis) throws IOException {
    return tls == null ? new AdminConnection(host, port, timeoutMillis)
        : new AdminConnection(host, port, timeoutMillis, tls);
  }

  Socket socket(String host, int port) throws IOException {
    return tls == null ? new Socket(host, port) : tls.createSocket(host, port);
  }
}
