package dev.vigil.backup.rdb;

/**
 * The CRC-64 that Redis and Valkey append to every RDB: the Jones polynomial
 * ({@code 0xad93d23594c935a9}), reflected, initial value 0, no final xor (src/crc64.c; its check
 * value for "123456789" is {@code 0xe9c6d914c4b8d9ca}). No maintained Java library implements this
 * variant, so it lives here: table-driven, eight bytes per step ("slicing by 8"), because it runs
 * over every byte of every backup and restore.
 */
public final class Crc64 {
  private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L; // 0xad93d23594c935a9 bit-reversed
  private static final long[][] TABLE = new long[8][256];

  static {
    for (int n = 0; n < 256; n++) {
      long crc = n;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
      }
      TABLE[0][n] = crc;
    }
    for (int n = 0; n < 256; n++) {
      long crc = TABLE[0][n];
      for (int t = 1; t < 8; t++) {
        crc = TABLE[0][(int) (crc & 0xff)] ^ (crc >>> 8);
        TABLE[t][n] = crc;
      }
    }
  }

  private long crc;

  /** Adds {@code len} bytes of {@code b} from {@code off}. */
  public void update(byte[] b, int off, int len) {
    long c = crc;
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16
          | (b[i + 3] & 0xffL) << 24 | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40
          | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56;
      c = TABLE[7][(int) (c & 0xff)] ^ TABLE[6][(int) ((c >>> 8) & 0xff)]
          ^ TABLE[5][(int) ((c >>> 16) & 0xff)] ^ TABLE[4][(int) ((c >>> 24) & 0xff)]
          ^ TABLE[3][(int) ((c >>> 32) & 0xff)] ^ TABLE[2][(int) ((c >>> 40) & 0xff)]
          ^ TABLE[1][(int) ((c >>> 48) & 0xff)] ^ TABLE[0][(int) (c >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = TABLE[0][(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
      i++;
    }
    crc = c;
  }

  public long value() {
    return crc;
  }

  /** The CRC of a whole array, for tests and small inputs. */
  public static long of(byte[] b) {
    Crc64 c = new Crc64();
    c.update(b, 0, b.length);
    return c.value();
  }
}
