package dev.vigil.backup.agent;

/**
 * Multipart part sizes. S3 allows at most 10,000 parts of 5 MiB to 5 GiB (the last may be
 * smaller). With the RDB's length known ({@code $<len>}), one size fits it in at most 9,000 parts.
 * With the diskless form (Valkey's default) the length is unknown: the first 8,000 parts keep the
 * base size, then the size doubles every 250 parts, so 8 MiB parts carry 62.5 GiB before the first
 * doubling and 10,000 parts hold over 1 TiB. The agent's memory is three parts, so it stays at its
 * base for any dataset a node holds in practice; doubling every 1,500 parts from the start, as
 * before, tripled it past 12 GiB and took a backup of 36 GiB past its Job's memory limit.
 */
public final class PartSizing {
  public static final int MIN_PART = 5 << 20;
  static final long MAX_PART = 5L << 30;
  static final int KNOWN_MAX_PARTS = 9_000;
  static final int KEEP_BASE_PARTS = 8_000;
  static final int DOUBLE_EVERY = 250;

  private PartSizing() {}

  /** Size of part {@code number} (1-based). */
  public static int partSize(int base, long totalOrMinusOne, int number) {
    long size;
    if (totalOrMinusOne >= 0) {
      long needed = (totalOrMinusOne + KNOWN_MAX_PARTS - 1) / KNOWN_MAX_PARTS;
      long mib = 1 << 20;
      size = Math.max(base, (needed + mib - 1) / mib * mib);
    } else {
      int doublings = number <= KEEP_BASE_PARTS ? 0
          : 1 + (number - 1 - KEEP_BASE_PARTS) / DOUBLE_EVERY;
      size = (long) base << Math.min(20, doublings);
    }
    size = Math.max(MIN_PART, Math.min(size, Math.min(MAX_PART, Integer.MAX_VALUE - 8)));
    return (int) size;
  }
}
