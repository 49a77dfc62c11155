package dev.vigil.resp3.codec;

import static dev.vigil.resp3.codec.Decoding.bytes;
import static dev.vigil.resp3.codec.Decoding.decode;
import static dev.vigil.resp3.codec.Decoding.decodeDrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and over-limit input: each is a {@link RespProtocolException} naming the offset and
 * the reason, thrown before anything proportional to a declared size is allocated.
 */
class HostileInputTest {

  static Stream<Arguments> malformed() {
    return Stream.of(
        bad("$-2\r\n", 1, "malformed length"),
        bad("$-0\r\n", 1, "malformed length"),
        bad("$+5\r\nhello\r\n", 1, "malformed length"),
        bad("$05\r\nhello\r\n", 1, "malformed length"),
        bad("$ 5\r\n", 1, "malformed length"),
        bad("$5 \r\nhello\r\n", 2, "malformed length"),
        bad("$\r\n", 1, "empty length"),
        bad("$5\nhello\r\n", 2, "LF without CR"),
        bad("$1a\r\n", 2, "malformed length"),
        bad("*?\r\n$?x\r\n", 5, "malformed length"),
        bad("$9223372036854775808\r\n", 1, "overflows"),
        bad("$99999999999999999999\r\n", 1, "overflows"),
        bad("$123456789012345678901\r\n", 1, "header longer than 20"),
        bad("$2147483648\r\n", 1, "over the limit"),
        bad("*-2\r\n", 1, "malformed length"),
        bad("%-1\r\n", 1, "malformed length"),
        bad("~-1\r\n", 1, "malformed length"),
        bad(">-1\r\n", 1, "malformed length"),
        bad("|-1\r\n", 1, "malformed length"),
        bad("=-1\r\n", 1, "malformed length"),
        bad("!-1\r\n", 1, "malformed length"),
        bad("*2147483647\r\n", 1, "over the limit"),
        bad("%1073741824\r\n", 1, "over the limit"),
        bad("$3\r\nabcXY", 7, "payload not followed by CRLF"),
        bad("+a\rb\r\n", 3, "CR not followed by LF"),
        bad("+a\nb\r\n", 2, "LF without CR"),
        bad("\u0080\r\n", 0, "unknown type byte 0x80"),
        bad("@foo\r\n", 0, "unknown type byte 0x40"),
        bad("PING\r\n", 0, "unknown type byte 0x50"),
        bad(" \r\n", 0, "unknown type byte 0x20"),
        bad("\u0000", 0, "unknown type byte 0x0"),
        bad(":9223372036854775808\r\n", 1, "overflows"),
        bad(":-9223372036854775809\r\n", 1, "overflows"),
        bad(":9999999999999999999\r\n", 1, "overflows"),
        bad(":+0\r\n", 1, "malformed integer"),
        bad(":-0\r\n", 1, "malformed integer"),
        bad(":00\r\n", 1, "malformed integer"),
        bad(":\r\n", 1, "malformed integer"),
        bad(":-\r\n", 1, "malformed integer"),
        bad(",1e\r\n", 1, "malformed double"),
        bad(",1e+\r\n", 1, "malformed double"),
        bad(",+inf\r\n", 1, "malformed double"),
        bad(",.5\r\n", 1, "malformed double"),
        bad(",1.\r\n", 1, "malformed double"),
        bad(",Infinity\r\n", 1, "malformed double"),
        bad(",NaN\r\n", 1, "malformed double"),
        bad(",-nan\r\n", 1, "malformed double"),
        bad(",0x1p3\r\n", 1, "malformed double"),
        bad(",1d\r\n", 1, "malformed double"),
        bad(", 1\r\n", 1, "malformed double"),
        bad("(\r\n", 1, "malformed big number"),
        bad("(-\r\n", 1, "malformed big number"),
        bad("(+1\r\n", 1, "malformed big number"),
        bad("(007\r\n", 1, "malformed big number"),
        bad("(1.5\r\n", 1, "malformed big number"),
        bad("(12a\r\n", 1, "malformed big number"),
        bad("#T\r\n", 1, "boolean"),
        bad("#\r\n", 1, "boolean"),
        bad("#tt\r\n", 1, "boolean"),
        bad("_x\r\n", 1, "null must be empty"),
        bad("=3\r\ntxt\r\n", 1, "verbatim string shorter"),
        bad("=8\r\ntxt;abcd\r\n", 7, "verbatim format not followed by ':'"),
        bad("*1\r\n>1\r\n+x\r\n", 4, "push inside an aggregate"),
        bad(">0\r\n", 1, "empty push"),
        bad(">?\r\n", 1, "cannot be streamed"),
        bad("|?\r\n", 1, "cannot be streamed"),
        bad("%?\r\n+a\r\n.\r\n", 8, "odd number of items"),
        bad(".\r\n", 0, "'.' outside a streamed aggregate"),
        bad("*1\r\n.\r\n", 4, "'.' outside a streamed aggregate"),
        bad(".x\r\n", 1, "'.' must be followed by CRLF"),
        bad(";1\r\nx\r\n", 0, "unknown type byte 0x3b"),
        bad("$?\r\n;-1\r\n", 5, "malformed length"),
        bad("$?\r\n+x\r\n", 4, "expected ';'"),
        bad("*?\r\n|1\r\n+a\r\n:1\r\n.\r\n", 16, "attribute not followed by a value"),
        bad("$EOF:0123456789012345678901234567890123456789\r\n", 1, "header longer than 20"));
  }

  private static Arguments bad(String wire, long offset, String reason) {
    return Arguments.of(wire.replace("\r", "\\r").replace("\n", "\\n"), bytes(wire), offset, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsWithOffsetAndReason(String name, byte[] wire, long offset, String reason) {
    assertThatThrownBy(() -> decode(wire))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((RespProtocolException) e).offset()).isEqualTo(offset));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsTheSameWhenDripped(String name, byte[] wire, long offset, String reason) {
    assertThatThrownBy(() -> decodeDrip(wire))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void refusesInputAfterAnError() {
    RespParser parser = new RespParser();
    RespValueBuilder builder = new RespValueBuilder(v -> {});
    assertThatThrownBy(() -> parser.parse(Unpooled.wrappedBuffer(bytes("?\r\n")), builder))
        .isInstanceOf(RespProtocolException.class);
    assertThatThrownBy(() -> parser.parse(Unpooled.wrappedBuffer(bytes("+OK\r\n")), builder))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining("after an earlier protocol error");
  }

  @Test
  void limitsPassAtTheLimitAndFailOneOver() {
    RespLimits limits = new RespLimits(4, 3, 2, 20);
    assertThat(decode(bytes("$4\r\nabcd\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("$5\r\nabcde\r\n"), limits)).hasMessageContaining("limit of 4");
    assertThat(decode(bytes("*3\r\n:1\r\n:2\r\n:3\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("*4\r\n"), limits)).hasMessageContaining("limit of 3");
    assertThat(decode(bytes("%3\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("%4\r\n"), limits)).hasMessageContaining("limit of 3");
    assertThat(decode(bytes("*1\r\n*1\r\n:1\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("*1\r\n*1\r\n*1\r\n:1\r\n"), limits))
        .hasMessageContaining("nesting deeper than 2");
    assertThatThrownBy(() -> decode(bytes("|1\r\n*1\r\n*1\r\n:1\r\n"), limits))
        .hasMessageContaining("nesting deeper than 2");
    String line20 = "+" + "x".repeat(20) + "\r\n";
    assertThat(decode(bytes(line20), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("+" + "x".repeat(21) + "\r\n"), limits))
        .hasMessageContaining("line longer than 20");
    assertThat(decode(bytes("$?\r\n;2\r\nab\r\n;2\r\ncd\r\n;0\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("$?\r\n;2\r\nab\r\n;3\r\ncde\r\n;0\r\n"), limits))
        .hasMessageContaining("streamed string over the limit");
    assertThat(decode(bytes("*?\r\n:1\r\n:2\r\n:3\r\n.\r\n"), limits)).hasSize(1);
    assertThatThrownBy(() -> decode(bytes("*?\r\n:1\r\n:2\r\n:3\r\n:4\r\n.\r\n"), limits))
        .hasMessageContaining("streamed aggregate over the limit");
  }

  @Test
  void unterminatedLinesHitTheLimitInsteadOfBufferingForever() {
    RespParser parser = new RespParser(RespLimits.DEFAULT.withMaxLineLength(1024), false);
    ByteBuf in = Unpooled.buffer();
    in.writeByte('+');
    assertThatThrownBy(() -> {
      for (int i = 0; i < 2048; i++) {
        in.writeByte('x');
        parser.parse(in, new RespValueBuilder(v -> {}));
      }
    }).hasMessageContaining("line longer than 1024");
    ByteBuf digits = Unpooled.buffer();
    digits.writeByte('*');
    RespParser p2 = new RespParser();
    assertThatThrownBy(() -> {
      for (int i = 0; i < 100; i++) {
        digits.writeByte('9');
        p2.parse(digits, new RespValueBuilder(v -> {}));
      }
    }).hasMessageContaining("header longer than 20");
  }

  @Test
  void hugeDeclaredLengthsAllocateNothingBeforeTheBytesArrive() {
    RespParser parser = new RespParser();
    List<RespValue> out = new ArrayList<>();
    RespValueBuilder builder = new RespValueBuilder(out::add);
    ByteBuf in = Unpooled.buffer(64, 64);
    in.writeBytes(bytes("$536870912\r\nab"));
    parser.parse(in, builder);
    assertThat(out).isEmpty();
    assertThat(in.capacity()).isEqualTo(64);
    assertThat(parser.atFrameBoundary()).isFalse();

    ByteBuf counts = Unpooled.buffer(64, 64);
    counts.writeBytes(bytes("*1000000\r\n~1000000\r\n%1000000\r\n:1\r\n"));
    parser.reset();
    new RespParser().parse(counts, builder);
    assertThat(out).isEmpty();
  }

  @Test
  void deepNestingIsRejectedAtTheLimitNotByStackOverflow() {
    byte[] deep = bytes("*1\r\n".repeat(100_000) + ":1\r\n");
    assertThatThrownBy(() -> decode(deep)).hasMessageContaining("nesting deeper than 64");
    byte[] deepAttributes = bytes("|1\r\n".repeat(1_000));
    assertThatThrownBy(() -> decode(deepAttributes)).hasMessageContaining("nesting deeper than 64");
    RespLimits deepLimit = RespLimits.DEFAULT.withMaxDepth(200_000);
    assertThat(decode(deep, deepLimit)).hasSize(1);
  }

  @Test
  void manyTinyFramesInOneBuffer() {
    byte[] wire = bytes("*0\r\n".repeat(100_000) + "+\r\n".repeat(100_000));
    assertThat(decode(wire)).hasSize(200_000);
  }

  @Test
  void longLineDrippedByteByByteIsLinear() {
    byte[] wire = bytes("+" + "x".repeat(60_000) + "\r\n");
    assertThat(decodeDrip(wire)).hasSize(1);
  }

  /**
   * Mutation robustness: random flips, inserts, deletions and truncations of valid streams either
   * decode or fail with a protocol error, never any other exception, in both payload modes.
   */
  @Test
  void mutatedInputYieldsValuesOrAProtocolErrorOnly() {
    RoundTripPropertyTest.forEachSeed(5_000, seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      byte[] wire = mutate(Decoding.encode(new RandomValues(seed, 4).frame()), r);
      RespLimits limits = new RespLimits(1 << 16, 1 << 10, 16, 1 << 10);
      PayloadMode mode = r.nextBoolean() ? PayloadMode.COPY : PayloadMode.RETAINED_SLICE;
      try {
        Decoding.decodeLenient(wire, limits, mode).forEach(RespValue::release);
      } catch (RespProtocolException expected) {
        assertThat(expected.reason()).isNotBlank();
      }
    });
  }

  @Test
  void randomGarbageYieldsValuesOrAProtocolErrorOnly() {
    RoundTripPropertyTest.forEachSeed(5_000, seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      byte[] wire = new byte[r.nextInt(1, 200)];
      String alphabet = "+-:$*%~>|_#,(!=.;?\r\n0123456789-tfx";
      for (int i = 0; i < wire.length; i++) {
        wire[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256)
            : (byte) alphabet.charAt(r.nextInt(alphabet.length()));
      }
      try {
        Decoding.decodeLenient(wire, RespLimits.DEFAULT, PayloadMode.RETAINED_SLICE)
            .forEach(RespValue::release);
      } catch (RespProtocolException expected) {
        assertThat(expected.offset()).isBetween(0L, (long) wire.length);
      }
    });
  }

  static byte[] mutate(byte[] wire, SplittableRandom r) {
    byte[] b = wire.clone();
    int edits = r.nextInt(1, 4);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(4)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> b = java.util.Arrays.copyOf(b, at);
        case 2 -> {
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = (byte) "\r\n*$:?.;|>".charAt(r.nextInt(10));
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
        }
        default -> {
          byte[] n = new byte[b.length - 1];
          System.arraycopy(b, 0, n, 0, at);
          System.arraycopy(b, at + 1, n, at, b.length - at - 1);
          b = n;
        }
      }
    }
    return b;
  }
}
