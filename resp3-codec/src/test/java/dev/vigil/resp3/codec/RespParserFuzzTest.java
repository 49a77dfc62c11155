package dev.vigil.resp3.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the parser with Jazzer. In a normal build it replays the committed
 * seeds (src/test/resources/.../RespParserFuzzTestInputs/parse); to fuzz for real:
 *
 * <pre>JAZZER_FUZZ=1 mvn -pl resp3-codec test -Dtest=RespParserFuzzTest -Djazzer.max_duration=10m</pre>
 *
 * <p>The only acceptable failure is {@link RespProtocolException}: anything else (a runtime
 * exception, stack overflow, leak, or a value that does not survive re-encoding) is a finding.
 */
class RespParserFuzzTest {
  private static final RespLimits LIMITS = new RespLimits(1 << 20, 1 << 12, 32, 1 << 12);

  @FuzzTest(maxDuration = "${jazzer.max_duration:10s}")
  @DictionaryEntries({"\\x0D\\x0A", "$?", "*?", "%?", "~?", ";0", ".", "|1", ">3", ",nan", ",inf",
      "=4", "txt:", "$-1", "*-1", "_", "#t", "(", "!", ":-", "9223372036854775808"})
  void parse(byte[] input) {
    int split = input.length == 0 ? 0 : (input[0] & 0xff) % input.length;
    List<RespValue> values = new ArrayList<>();
    RespParser parser = new RespParser(LIMITS, false);
    RespValueBuilder builder = new RespValueBuilder(PayloadMode.RETAINED_SLICE, 0, values::add);
    ByteBuf cumulation = PooledByteBufAllocator.DEFAULT.directBuffer(input.length + 1);
    try {
      cumulation.writeBytes(input, 0, split);
      parser.parse(cumulation, builder);
      cumulation.writeBytes(input, split, input.length - split);
      parser.parse(cumulation, builder);
    } catch (RespProtocolException expected) {
      // the only failure malformed input may cause
    } finally {
      builder.reset();
      cumulation.release();
    }
    for (RespValue v : values) {
      assertThat(Decoding.decode(Decoding.encode(v), LIMITS)).containsExactly(v);
      v.release();
    }
  }
}
