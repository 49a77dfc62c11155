package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/** Clean-up of the processes and directories tests start: best effort, never failing a test. */
public final class TempDirs {
  private TempDirs() {}

  /** Deletes {@code dir} and everything in it, as far as it can. */
  public static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temporary directory: what is left is the OS's to clean
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code graceSeconds}. */
  public static void stop(Process process, long graceSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
