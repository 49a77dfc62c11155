package dev.vigil.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Runs of consecutive free ports, as 26379, 26380, 26381 are in Sentinel's tutorials. */
final class NeighbouringPorts {
  private NeighbouringPorts() {}

  /** The first of {@code n} consecutive ports free on every interface (never 6379's range). */
  static int find(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (allFree(first, n)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports found");
  }

  private static boolean allFree(int first, int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int p = first; p < first + n; p++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(p));
      }
      return true;
    } catch (IOException inUse) {
      return false;
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only probing
        }
      }
    }
  }
}
