package dev.vigil.e2e.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process' CPU time and memory from Linux's /proc, as {@code top} and {@code ps} read them. */
public final class ProcStats {
  /** USER_HZ: the unit of /proc/PID/stat's times; 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** utime + stime of the process (all its threads), in seconds. */
  public static double cpuSeconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may hold spaces; fields are counted after its closing paren.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  }

  /** A field of /proc/PID/status in KiB, e.g. {@code VmRSS} or {@code VmHWM}. */
  public static long statusKib(long pid, String field) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** Threads of the process. */
  public static long threads(long pid) {
    return statusKib(pid, "Threads");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
