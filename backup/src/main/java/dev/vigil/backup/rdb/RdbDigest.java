package dev.vigil.backup.rdb;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything a backup and a restore check about an RDB, computed in one pass as the bytes stream
 * by: size, SHA-256, the header, and the CRC-64 of all bytes but the last eight, which is what
 * those eight bytes (little-endian) must hold. Memory is constant: the header and the last eight
 * bytes.
 */
public final class RdbDigest {
  private static final int TRAILER = 8;

  private final MessageDigest sha256;
  private final Crc64 crc = new Crc64();
  private final byte[] head = new byte[RdbHeader.LENGTH];
  private final byte[] tail = new byte[TRAILER];
  private int headLength;
  private int tailLength;
  private long size;

  public RdbDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public void update(byte[] b, int off, int len) {
    if (len <= 0) {
      return;
    }
    sha256.update(b, off, len);
    size += len;
    if (headLength < head.length) {
      int n = Math.min(len, head.length - headLength);
      System.arraycopy(b, off, head, headLength, n);
      headLength += n;
    }
    // The CRC covers every byte except the final eight; hold the latest eight back until more come.
    if (len >= TRAILER) {
      crc.update(tail, 0, tailLength);
      crc.update(b, off, len - TRAILER);
      System.arraycopy(b, off + len - TRAILER, tail, 0, TRAILER);
      tailLength = TRAILER;
    } else {
      int overflow = Math.max(0, tailLength + len - TRAILER);
      crc.update(tail, 0, overflow);
      System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
      tailLength -= overflow;
      System.arraycopy(b, off, tail, tailLength, len);
      tailLength += len;
    }
  }

  /** What the bytes so far amount to. */
  public RdbSummary summary() {
    byte[] h = java.util.Arrays.copyOf(head, headLength);
    long stored = 0;
    if (tailLength == TRAILER) {
      for (int i = TRAILER - 1; i >= 0; i--) {
        stored = (stored << 8) | (tail[i] & 0xffL);
      }
    }
    try {
      MessageDigest copy = (MessageDigest) sha256.clone();
      return new RdbSummary(size, HexFormat.of().formatHex(copy.digest()),
          RdbHeader.parse(h).orElse(null), stored, crc.value());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable", e);
    }
  }
}
