package dev.vigil.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every {@code +switch-master} each watcher of a {@link ProxiedGroup} publishes, subscribed
 * directly on each watcher's port (not through its proxy), with the nodes named by their proxy
 * ports as the payload gives them ({@code group old-ip old-port new-ip new-port}).
 */
final class SwitchListener implements AutoCloseable {
  private final ProxiedGroup group;
  private final List<SwitchEvent> events = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  SwitchListener(ProxiedGroup group) throws IOException {
    this.group = group;
    for (int i = 0; i < group.daemons.size(); i++) {
      Socket s = new Socket("127.0.0.1", group.daemons.get(i).port);
      s.setSoTimeout(200);
      s.getOutputStream().write("SUBSCRIBE +switch-master\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      sockets.add(s);
      int watcher = i;
      Thread t = new Thread(() -> listen(watcher, s), "switch-listener-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  private void listen(int watcher, Socket s) {
    String prefix = ProxiedGroup.GROUP + " ";
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
      while (!stop.get()) {
        try {
          String line = in.readLine();
          if (line == null) {
            return;
          }
          // The payload is the only bulk string that starts with the group's name.
          if (line.startsWith(prefix)) {
            String[] w = line.split(" ");
            String from = group.nodeAtProxyPort(Integer.parseInt(w[2]));
            String to = group.nodeAtProxyPort(Integer.parseInt(w[4]));
            synchronized (events) {
              events.add(new SwitchEvent(watcher, String.valueOf(from), String.valueOf(to),
                  System.nanoTime()));
            }
          }
        } catch (SocketTimeoutException idle) {
          // keep listening
        }
      }
    } catch (IOException | RuntimeException closed) {
      // the watcher or this listener went away
    }
  }

  /** The events seen from {@code fromNanos} on (System.nanoTime). */
  List<SwitchEvent> since(long fromNanos) {
    synchronized (events) {
      return events.stream().filter(e -> e.atNanos() >= fromNanos).toList();
    }
  }

  @Override
  public void close() {
    stop.set(true);
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
