package dev.vigil.backup.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An RDB's first nine bytes: {@code REDIS} and four digits (Redis, Valkey up to 8.1) or
 * {@code VALKEY} and three digits (Valkey 9 and later).
 *
 * @param magic {@code REDIS} or {@code VALKEY}
 * @param version the RDB format version
 */
public record RdbHeader(String magic, int version) {
  public static final int LENGTH = 9;

  /** The header of {@code b} (at least nine bytes), or empty when it is not an RDB. */
  public static Optional<RdbHeader> parse(byte[] b) {
    if (b.length < LENGTH) {
      return Optional.empty();
    }
    String s = new String(b, 0, LENGTH, StandardCharsets.ISO_8859_1);
    if (s.startsWith("REDIS") && digits(s, 5)) {
      return Optional.of(new RdbHeader("REDIS", Integer.parseInt(s.substring(5))));
    }
    if (s.startsWith("VALKEY") && digits(s, 6)) {
      return Optional.of(new RdbHeader("VALKEY", Integer.parseInt(s.substring(6))));
    }
    return Optional.empty();
  }

  private static boolean digits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return magic.equals("VALKEY") ? String.format("VALKEY%03d", version)
        : String.format("REDIS%04d", version);
  }
}
