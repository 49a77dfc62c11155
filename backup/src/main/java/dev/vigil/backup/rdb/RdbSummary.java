package dev.vigil.backup.rdb;

import java.util.Optional;

/**
 * An RDB as {@link RdbDigest} saw it.
 *
 * @param size bytes
 * @param sha256 lowercase hex
 * @param header the parsed header, or null when the bytes do not start like an RDB
 * @param storedCrc the trailer's CRC-64; 0 means the server saved with {@code rdbchecksum no}
 * @param computedCrc the CRC-64 of everything before the trailer
 */
public record RdbSummary(long size, String sha256, RdbHeader header, long storedCrc,
    long computedCrc) {

  /** Why these bytes are not a whole, intact RDB, or empty when they are. */
  public Optional<String> problem() {
    if (header == null) {
      return Optional.of("not an RDB: it does not start with REDIS or VALKEY and a version");
    }
    if (size < RdbHeader.LENGTH + 9) {
      return Optional.of("truncated RDB: " + size + " bytes");
    }
    if (storedCrc != 0 && storedCrc != computedCrc) {
      return Optional.of(String.format(
          "RDB checksum mismatch: the trailer says %016x, the content hashes to %016x", storedCrc,
          computedCrc));
    }
    return Optional.empty();
  }

  /** True when the server wrote a checksum (it writes zero with {@code rdbchecksum no}). */
  public boolean hasCrc() {
    return storedCrc != 0;
  }

  public String crcHex() {
    return String.format("%016x", storedCrc);
  }
}
