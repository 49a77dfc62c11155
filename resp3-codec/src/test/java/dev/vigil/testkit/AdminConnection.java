package dev.vigil.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A deliberately tiny blocking RESP2 client the kit uses to manage servers, independent of the
 * codec under test so that a codec bug cannot break the harness that reports it.
 *
 * <p>Replies map to Java: simple and bulk strings to {@code String}, integers to {@code Long},
 * arrays to {@code List<Object>}, nulls to {@code null}; an error reply throws
 * {@link ServerErrorException}.
 */
public final class AdminConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** An error reply. */
  public static final class ServerErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerErrorException(String message) {
      super(message);
    }
  }

  public AdminConnection(String host, int port, int timeoutMillis) throws IOException {
    this(host, port, timeoutMillis, null, null);
  }

  /** Over TLS when {@code tls} is given (the handshake completes before this returns). */
  public AdminConnection(String host, int port, int timeoutMillis, SSLSocketFactory tls)
      throws IOException {
    this(host, port, timeoutMillis, null, tls);
  }

  /**
   * Connecting from {@code localAddress} (any 127.x.y.z on Linux), or from the kernel's choice
   * when null: lets a fault proxy tell clients of one process apart.
   */
  public AdminConnection(String host, int port, int timeoutMillis, String localAddress)
      throws IOException {
    this(host, port, timeoutMillis, localAddress, null);
  }

  private AdminConnection(String host, int port, int timeoutMillis, String localAddress,
      SSLSocketFactory tls) throws IOException {
    Socket plain = new Socket();
    if (localAddress != null) {
      plain.bind(new InetSocketAddress(localAddress, 0));
    }
    plain.connect(new InetSocketAddress(host, port), timeoutMillis);
    plain.setSoTimeout(timeoutMillis);
    plain.setTcpNoDelay(true);
    if (tls != null) {
      SSLSocket s = (SSLSocket) tls.createSocket(plain, host, port, true);
      s.startHandshake();
      socket = s;
    } else {
      socket = plain;
    }
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  public Object command(String... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      buf.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(b);
      buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(buf.toByteArray());
    out.flush();
    return read();
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed by the server");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ServerErrorException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] b = in.readNBytes(n + 2);
        if (b.length < n + 2) {
          throw new IOException("connection closed mid-reply");
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          try {
            items.add(read());
          } catch (ServerErrorException e) {
            items.add(e);
          }
        }
        return items;
      }
      default:
        throw new IOException("unexpected reply type '" + (char) type + "'");
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      b.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("CR without LF");
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
