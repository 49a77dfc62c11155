package dev.vigil.resp3.codec;

import static dev.vigil.resp3.codec.Decoding.bytes;
import static dev.vigil.resp3.codec.Decoding.decodeOne;
import static dev.vigil.resp3.codec.Decoding.encode;
import static dev.vigil.resp3.value.Resp.array;
import static dev.vigil.resp3.value.Resp.bulk;
import static dev.vigil.resp3.value.Resp.integer;
import static dev.vigil.resp3.value.Resp.simple;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.value.Attributed;
import dev.vigil.resp3.value.BigNumber;
import dev.vigil.resp3.value.BulkError;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespBoolean;
import dev.vigil.resp3.value.RespDouble;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespNull;
import dev.vigil.resp3.value.RespSet;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.VerbatimString;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of the RESP3 specification (and RESP2's forms), byte for byte in both directions:
 * decoding gives the value, encoding the value gives the same bytes.
 */
class GoldenVectorsTest {

  static Stream<Arguments> vectors() {
    return Stream.of(
        v("+OK\r\n", simple("OK")),
        v("+\r\n", simple("")),
        v("-ERR this is the error description\r\n", Resp.error("ERR this is the error description")),
        v(":1234\r\n", integer(1234)),
        v(":-123\r\n", integer(-123)),
        v(":0\r\n", integer(0)),
        v(":9223372036854775807\r\n", integer(Long.MAX_VALUE)),
        v(":-9223372036854775808\r\n", integer(Long.MIN_VALUE)),
        v("$11\r\nhelloworld!\r\n", bulk("helloworld!")),
        v("$0\r\n\r\n", bulk("")),
        v("$4\r\na\r\nb\r\n", bulk("a\r\nb")),
        v("$-1\r\n", RespNull.NULL_BULK),
        v("*-1\r\n", RespNull.NULL_ARRAY),
        v("_\r\n", RespNull.NULL),
        v("#t\r\n", RespBoolean.TRUE),
        v("#f\r\n", RespBoolean.FALSE),
        v(",1.23\r\n", new RespDouble("1.23")),
        v(",10\r\n", new RespDouble("10")),
        v(",inf\r\n", new RespDouble("inf")),
        v(",-inf\r\n", new RespDouble("-inf")),
        v(",nan\r\n", new RespDouble("nan")),
        v(",-0\r\n", new RespDouble("-0")),
        v(",1.5e+300\r\n", new RespDouble("1.5e+300")),
        v(",1E-5\r\n", new RespDouble("1E-5")),
        v("(3492890328409238509324850943850943825024385\r\n",
            BigNumber.of(new BigInteger("3492890328409238509324850943850943825024385"))),
        v("(-3492890328409238509324850943850943825024385\r\n",
            new BigNumber("-3492890328409238509324850943850943825024385")),
        v("!21\r\nSYNTAX invalid syntax\r\n",
            BulkError.wrap(Unpooled.wrappedBuffer(bytes("SYNTAX invalid syntax")))),
        v("=15\r\ntxt:Some string\r\n", VerbatimString.of("txt", "Some string")),
        v("=4\r\nmkd:\r\n", VerbatimString.of("mkd", "")),
        v("*0\r\n", array()),
        v("*3\r\n:1\r\n:2\r\n:3\r\n", array(integer(1), integer(2), integer(3))),
        v("*2\r\n*3\r\n:1\r\n$5\r\nhello\r\n:2\r\n#f\r\n",
            array(array(integer(1), bulk("hello"), integer(2)), RespBoolean.FALSE)),
        v("*3\r\n$3\r\nfoo\r\n$-1\r\n_\r\n", array(bulk("foo"), RespNull.NULL_BULK, RespNull.NULL)),
        v("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
            RespMap.ofPairs(simple("first"), integer(1), simple("second"), integer(2))),
        v("%0\r\n", RespMap.ofPairs()),
        v("~5\r\n+orange\r\n+apple\r\n#t\r\n:100\r\n:999\r\n",
            RespSet.of(simple("orange"), simple("apple"), RespBoolean.TRUE, integer(100),
                integer(999))),
        v("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
                + "*2\r\n:2039123\r\n:9543892\r\n",
            new Attributed(
                RespMap.ofPairs(simple("key-popularity"),
                    RespMap.ofPairs(bulk("a"), new RespDouble("0.1923"), bulk("b"),
                        new RespDouble("0.0012"))),
                array(integer(2039123), integer(9543892)))),
        v("*3\r\n:1\r\n:2\r\n|1\r\n+ttl\r\n:3600\r\n:3\r\n",
            array(integer(1), integer(2),
                new Attributed(RespMap.ofPairs(simple("ttl"), integer(3600)), integer(3)))),
        v("|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n:3\r\n",
            new Attributed(RespMap.ofPairs(simple("a"), integer(1)),
                new Attributed(RespMap.ofPairs(simple("b"), integer(2)), integer(3)))),
        v("|0\r\n:7\r\n", new Attributed(RespMap.ofPairs(), integer(7))),
        v(">3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n",
            Push.of(bulk("message"), bulk("channel"), bulk("hello"))),
        v(">2\r\n$10\r\ninvalidate\r\n_\r\n", Push.of(bulk("invalidate"), RespNull.NULL)),
        v("|1\r\n+hint\r\n:1\r\n>2\r\n+pubsub\r\n+x\r\n",
            new Attributed(RespMap.ofPairs(simple("hint"), integer(1)),
                Push.of(simple("pubsub"), simple("x")))));
  }

  private static Arguments v(String wire, RespValue value) {
    return Arguments.of(wire.replace("\r\n", "\\r\\n"), bytes(wire), value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheValue(String name, byte[] wire, RespValue expected) {
    assertThat(decodeOne(wire)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesToTheSameBytes(String name, byte[] wire, RespValue value) {
    assertThat(new String(encode(value), StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(wire, StandardCharsets.ISO_8859_1));
  }

  static Stream<Arguments> streamed() {
    return Stream.of(
        v("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n", bulk("Hello word")),
        v("$?\r\n;0\r\n", bulk("")),
        v("*?\r\n:1\r\n:2\r\n:3\r\n.\r\n", array(integer(1), integer(2), integer(3))),
        v("*?\r\n.\r\n", array()),
        v("~?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n",
            RespSet.of(simple("a"), integer(1), simple("b"), integer(2))),
        v("%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n",
            RespMap.ofPairs(simple("a"), integer(1), simple("b"), integer(2))),
        v("*?\r\n*?\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n.\r\n", array(array(bulk("x")))),
        v("*2\r\n*?\r\n:1\r\n.\r\n:2\r\n", array(array(integer(1)), integer(2))));
  }

  /** Streamed strings and aggregates decode into the same values as their sized forms. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("streamed")
  void streamedFormsDecodeToTheSizedValue(String name, byte[] wire, RespValue expected) {
    assertThat(decodeOne(wire)).isEqualTo(expected);
    assertThat(Decoding.decodeDrip(wire)).containsExactly(expected);
  }
}
