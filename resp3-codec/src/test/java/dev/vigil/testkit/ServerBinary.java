package dev.vigil.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the server to test against: {@code VIGIL_SERVER_BIN} (env or system property) if set,
 * else {@code valkey-server} on PATH, else Debian's {@code redis-server}, which speaks the same
 * protocol.
 */
public final class ServerBinary {
  private ServerBinary() {}

  public static Path server() {
    return find("VIGIL_SERVER_BIN", List.of("valkey-server", "redis-server"));
  }

  /** The sentinel binary, for conformance runs beside the daemon. */
  public static Path sentinel() {
    return find("VIGIL_SENTINEL_BIN", List.of("valkey-sentinel", "redis-sentinel"));
  }

  /** True when a sentinel binary is available (conformance tests skip, saying so, without one). */
  public static boolean hasSentinel() {
    try {
      sentinel();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static Path find(String override, List<String> names) {
    String explicit = System.getProperty(override, System.getenv(override));
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(override + "=" + explicit + " is not an executable file");
      }
      return p;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String name : names) {
      for (String dir : path.split(":")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new IllegalStateException("none of " + names + " is on PATH: install valkey-server, or "
        + "Debian's redis-server (bin/ensure-server does), or set " + override);
  }
}
