package dev.vigil.resp3.codec;

import static dev.vigil.resp3.codec.Decoding.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder and encoder in a Netty pipeline, with pooled buffers and the leak detector on. */
class RespDecoderChannelTest {

  private static ByteBuf pooled(String wire) {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
    b.writeBytes(bytes(wire));
    return b;
  }

  @Test
  void retainedSlicePayloadsAreZeroCopyAndReleasedByTheirOwner() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new RespDecoder(RespLimits.DEFAULT, false, PayloadMode.RETAINED_SLICE, 8));
    String big = "x".repeat(5000);
    ch.writeInbound(pooled("*3\r\n$" + big.length() + "\r\n" + big.substring(0, 100)));
    ch.writeInbound(pooled(big.substring(100) + "\r\n$2\r\nab\r\n"));
    ch.writeInbound(pooled("=12\r\ntxt:verbatim\r\n"));
    RespArray array = ch.readInbound();
    assertThat(array.size()).isEqualTo(3);
    BulkString payload = (BulkString) array.get(0);
    assertThat(payload.text()).isEqualTo(big);
    assertThat(payload.refCnt()).isPositive();
    assertThat(Resp.text(array.get(1))).isEqualTo("ab");
    assertThat(Resp.text(array.get(2))).isEqualTo("verbatim");
    assertThat(array.release()).isTrue();
    assertThat(payload.refCnt()).isZero();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void oneMessagePerFrameAcrossArbitraryReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder());
    String wire = "+PONG\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n:42\r\n";
    for (char c : wire.toCharArray()) {
      ch.writeInbound(pooled(String.valueOf(c)));
    }
    List<Object> out = new ArrayList<>();
    Object m;
    while ((m = ch.readInbound()) != null) {
      out.add(m);
    }
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isSameAs(SimpleString.PONG);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void protocolErrorClosesTheChannelAndReleasesThePartialFrame() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new RespDecoder(RespLimits.DEFAULT, false, PayloadMode.RETAINED_SLICE, 0));
    ch.writeInbound(pooled("*2\r\n$3\r\nabc\r\n"));
    assertThatThrownBy(() -> ch.writeInbound(pooled("?oops\r\n")))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining("unknown type byte 0x3f");
    assertThat(ch.isOpen()).isFalse();
    assertThat((Object) ch.readInbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void channelClosedMidFrameReleasesRetainedSlices() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new RespDecoder(RespLimits.DEFAULT, false, PayloadMode.RETAINED_SLICE, 0));
    ch.writeInbound(pooled("*3\r\n$3\r\nabc\r\n$3\r\nde"));
    ch.close();
    assertThat((Object) ch.readInbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void serverDecoderAcceptsInlineCommands() {
    EmbeddedChannel ch = new EmbeddedChannel(RespDecoder.forServer(RespLimits.DEFAULT));
    ch.writeInbound(pooled("PING\r\nset k \"a b\\x41\\n\" 'it\\'s'\n\r\n*1\r\n$4\r\nPING\r\n"));
    assertThat((RespValue) ch.readInbound()).isEqualTo(Resp.command("PING"));
    assertThat((RespValue) ch.readInbound()).isEqualTo(Resp.command("set", "k", "a bA\n", "it's"));
    assertThat((RespValue) ch.readInbound()).isEqualTo(Resp.command("PING"));
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void inlineCommandWithUnbalancedQuotesIsAProtocolError() {
    EmbeddedChannel ch = new EmbeddedChannel(RespDecoder.forServer(RespLimits.DEFAULT));
    assertThatThrownBy(() -> ch.writeInbound(pooled("SET k \"abc\r\n")))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining("unbalanced quotes");
    // A server answers the error itself before closing, and the decoder refuses further input.
    assertThat(ch.isOpen()).isTrue();
    assertThatThrownBy(() -> ch.writeInbound(pooled("PING\r\n")))
        .hasMessageContaining("after an earlier protocol error");
    ch.close();
  }

  @Test
  void encoderWritesCommandsAndValues() {
    EmbeddedChannel ch = new EmbeddedChannel(RespEncoder.INSTANCE);
    ch.writeOutbound(RespCommand.of("SET", "k", new byte[] {1, 2}, 42));
    ch.writeOutbound(Resp.array(Resp.integer(-7), Resp.bulk("é")));
    ByteBuf a = ch.readOutbound();
    ByteBuf b = ch.readOutbound();
    assertThat(a.toString(java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\u0001\u0002\r\n$2\r\n42\r\n");
    assertThat(b.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("*2\r\n:-7\r\n$2\r\né\r\n");
    a.release();
    b.release();
    assertThat(ch.finish()).isFalse();
  }
}
