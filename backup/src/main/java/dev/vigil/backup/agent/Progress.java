package dev.vigil.backup.agent;

import java.time.Duration;

/**
 * A transfer's progress line: bytes, rate, and (when the total is known) percentage and ETA.
 * Pure: the caller supplies the numbers and the elapsed time.
 */
public record Progress(String what, long bytes, long total, Duration elapsed) {

  public double bytesPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : bytes / s;
  }

  /** Remaining time at the average rate so far, or null when unknown. */
  public Duration eta() {
    double rate = bytesPerSecond();
    if (total < 0 || rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) ((total - bytes) / rate * 1000));
  }

  public String line() {
    StringBuilder sb = new StringBuilder(what).append(": ").append(size(bytes));
    if (total >= 0) {
      sb.append(" of ").append(size(total))
          .append(String.format(" (%.0f%%)", total == 0 ? 100.0 : 100.0 * bytes / total));
    }
    sb.append(", ").append(size((long) bytesPerSecond())).append("/s");
    Duration eta = eta();
    if (eta != null) {
      sb.append(", ETA ").append(duration(eta));
    }
    return sb.toString();
  }

  /** A one-line bar for a terminal: {@code [#####     ]} then the {@link #line()} figures. */
  public String bar(int width) {
    String figures = line().substring(what.length() + 2);
    if (total <= 0) {
      return what + ": " + figures;
    }
    int filled = (int) Math.min(width, width * bytes / total);
    return what + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + figures;
  }

  public static String size(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  public static String duration(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s"
        : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }
}
