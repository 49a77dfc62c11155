package dev.vigil.resp3.value;

import static dev.vigil.resp3.value.Resp.array;
import static dev.vigil.resp3.value.Resp.bulk;
import static dev.vigil.resp3.value.Resp.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class RespValuesTest {

  @Test
  void mapRepliesReadTheSameInBothProtocols() {
    RespMap resp3 = RespMap.ofPairs(bulk("name"), bulk("mymaster"), bulk("port"), bulk("6379"));
    RespArray resp2 = array(bulk("name"), bulk("mymaster"), bulk("port"), bulk("6379"));
    assertThat(Resp.asMap(resp2)).isEqualTo(resp3);
    assertThat(Resp.asMap(resp3).asStringKeyed()).containsEntry("port", bulk("6379"));
    assertThat(resp3.get("name")).isEqualTo(bulk("mymaster"));
    assertThat(resp3.get("absent")).isNull();
  }

  @Test
  void payloadEqualityIsByContentWhateverTheBuffer() {
    ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer();
    direct.writeBytes(new byte[] {'a', 'b'});
    BulkString pooled = BulkString.wrap(direct);
    assertThat(pooled).isEqualTo(bulk("ab")).hasSameHashCodeAs(bulk("ab"));
    assertThat(pooled).isNotEqualTo(bulk("abc"));
    assertThat(pooled.release()).isTrue();
  }

  @Test
  void aggregatesReleaseEveryPayloadBelowThem() {
    ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer().writeByte('a');
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer().writeByte('b');
    RespValue tree = array(integer(1), RespMap.ofPairs(BulkString.wrap(a),
        new Attributed(RespMap.ofPairs(bulk("k"), integer(2)), VerbatimString.wrap("txt", b))));
    tree.retain();
    assertThat(a.refCnt()).isEqualTo(2);
    tree.release();
    tree.release();
    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
  }

  @Test
  void constructorsRejectWhatCannotBeEncoded() {
    assertThatThrownBy(() -> SimpleString.of("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RespDouble("1,5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BigNumber("12.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VerbatimString.of("text", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Push.of()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doublesKeepTheirTextAndConvert() {
    assertThat(RespDouble.of(3.0).text()).isEqualTo("3");
    assertThat(RespDouble.of(-0.0).text()).isEqualTo("-0");
    assertThat(RespDouble.of(Double.NEGATIVE_INFINITY).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(new RespDouble("1.5e3").value()).isEqualTo(1500.0);
    assertThat(Double.isNaN(new RespDouble("nan").value())).isTrue();
  }

  @Test
  void commonRepliesAreShared() {
    assertThat(SimpleString.ofTrusted(new byte[] {'O', 'K'})).isSameAs(SimpleString.OK);
    assertThat(RespInteger.of(5)).isSameAs(RespInteger.of(5));
    assertThat(Push.of(bulk("MESSAGE"), bulk("c")).kind()).isEqualTo("message");
  }
}
