package dev.vigil.backup.agent;

/**
 * Multipart part sizes. S3 allows at most 10,000 parts of 5 MiB to 5 GiB (the last may be
 * smaller). With the RDB's length known ({@code $<len>}), one size fits it in at most 9,000 parts;
 * with the diskless form the length is unknown, so the size doubles every 1,500 parts (16 MiB
 * parts reach 23 GiB before the first doubling, and 10,000 parts hold over 2 TiB). Memory is
 * two parts, so it grows only for datasets that size.
 */
public final class PartSizing {
  public static final int MIN_PART = 5 << 20;
  static final long MAX_PART = 5L << 30;
  static final int KNOWN_MAX_PARTS = 9_000;
  static final int DOUBLE_EVERY = 1_500;

  private PartSizing() {}

  /** Size of part {@code number} (1-based). */
  public static int partSize(int base, long totalOrMinusOne, int number) {
    long size;
    if (totalOrMinusOne >= 0) {
      long needed = (totalOrMinusOne + KNOWN_MAX_PARTS - 1) / KNOWN_MAX_PARTS;
      long mib = 1 << 20;
      size = Math.max(base, (needed + mib - 1) / mib * mib);
    } else {
      size = (long) base << Math.min(20, (number - 1) / DOUBLE_EVERY);
    }
    size = Math.max(MIN_PART, Math.min(size, Math.min(MAX_PART, Integer.MAX_VALUE - 8)));
    return (int) size;
  }
}
