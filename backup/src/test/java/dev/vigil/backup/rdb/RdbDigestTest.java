package dev.vigil.backup.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbDigestTest {

  @Test
  void crc64MatchesRedisCheckValue() {
    // src/crc64.c's own test: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca
    assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(0xe9c6d914c4b8d9caL);
  }

  @Test
  void crc64IsTheSameForEverySplit() {
    byte[] data = new byte[1000];
    new Random(1).nextBytes(data);
    long whole = Crc64.of(data);
    for (int cut = 0; cut <= data.length; cut += 7) {
      Crc64 c = new Crc64();
      c.update(data, 0, cut);
      c.update(data, cut, data.length - cut);
      assertThat(c.value()).as("cut at %d", cut).isEqualTo(whole);
    }
  }

  /**
   * The three-lane path (inputs of three lanes and more) against the bit-at-a-time definition,
   * at offsets and lengths around the lane boundaries.
   */
  @Test
  void crc64EqualsTheBitwiseDefinitionAcrossLanes() {
    byte[] data = new byte[3 * Crc64.LANE * 2 + 100];
    new Random(2).nextBytes(data);
    int[] lengths = {0, 1, 7, 8, 9, 3 * Crc64.LANE - 1, 3 * Crc64.LANE, 3 * Crc64.LANE + 1,
        3 * Crc64.LANE + 13, 6 * Crc64.LANE, 6 * Crc64.LANE + 99};
    for (int off : new int[] {0, 1, 3, 8}) {
      for (int len : lengths) {
        if (off + len > data.length) {
          continue;
        }
        Crc64 c = new Crc64();
        c.update(data, off, len);
        assertThat(c.value()).as("offset %d length %d", off, len)
            .isEqualTo(bitwise(data, off, len));
      }
    }
  }

  /** src/crc64.c's definition, one bit at a time: reflected, initial 0, no final xor. */
  private static long bitwise(byte[] b, int off, int len) {
    long crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= b[i] & 0xffL;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
      }
    }
    return crc;
  }

  @Test
  void headerForms() {
    assertThat(RdbHeader.parse("REDIS0011xx".getBytes(StandardCharsets.US_ASCII)))
        .contains(new RdbHeader("REDIS", 11));
    assertThat(RdbHeader.parse("VALKEY080".getBytes(StandardCharsets.US_ASCII)))
        .contains(new RdbHeader("VALKEY", 80));
    assertThat(RdbHeader.parse("VALKEY080".getBytes(StandardCharsets.US_ASCII)).get())
        .hasToString("VALKEY080");
    assertThat(RdbHeader.parse("REDIS001".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(RdbHeader.parse("PK\3\4abcde".getBytes(StandardCharsets.US_ASCII))).isEmpty();
  }

  @Test
  void summaryOfAWellFormedRdbVerifiesForEveryChunking() throws Exception {
    byte[] rdb = fakeRdb(5000);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rdb));
    for (int chunk : new int[] {1, 3, 8, 9, 100, 4999, 6000}) {
      RdbDigest d = new RdbDigest();
      for (int i = 0; i < rdb.length; i += chunk) {
        d.update(rdb, i, Math.min(chunk, rdb.length - i));
      }
      RdbSummary s = d.summary();
      assertThat(s.problem()).as("chunk %d", chunk).isEmpty();
      assertThat(s.size()).isEqualTo(rdb.length);
      assertThat(s.sha256()).isEqualTo(sha);
      assertThat(s.header()).isEqualTo(new RdbHeader("REDIS", 10));
      assertThat(s.storedCrc()).isEqualTo(s.computedCrc());
    }
  }

  @Test
  void aFlippedByteIsACrcMismatch() {
    byte[] rdb = fakeRdb(2000);
    rdb[1000] ^= 0x40;
    RdbDigest d = new RdbDigest();
    d.update(rdb, 0, rdb.length);
    assertThat(d.summary().problem()).hasValueSatisfying(p -> assertThat(p).contains("checksum mismatch"));
  }

  @Test
  void noChecksumIsAccepted() {
    byte[] rdb = fakeRdb(200);
    for (int i = rdb.length - 8; i < rdb.length; i++) {
      rdb[i] = 0; // rdbchecksum no
    }
    RdbDigest d = new RdbDigest();
    d.update(rdb, 0, rdb.length);
    assertThat(d.summary().problem()).isEmpty();
    assertThat(d.summary().hasCrc()).isFalse();
  }

  @Test
  void notAnRdb() {
    byte[] junk = "<html>not found</html>".getBytes(StandardCharsets.US_ASCII);
    RdbDigest d = new RdbDigest();
    d.update(junk, 0, junk.length);
    assertThat(d.summary().problem()).hasValueSatisfying(p -> assertThat(p).startsWith("not an RDB"));
  }

  /** REDIS0010, random body, 0xFF, CRC-64 of all that, little-endian. */
  static byte[] fakeRdb(int bodyLength) {
    byte[] body = new byte[bodyLength];
    new Random(bodyLength).nextBytes(body);
    ByteBuffer b = ByteBuffer.allocate(9 + bodyLength + 1 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put("REDIS0010".getBytes(StandardCharsets.US_ASCII)).put(body).put((byte) 0xff);
    long crc = Crc64.of(java.util.Arrays.copyOf(b.array(), b.position()));
    b.putLong(crc);
    return b.array();
  }
}
