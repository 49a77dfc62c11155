package dev.vigil.resp3.codec;

import dev.vigil.resp3.codec.RespValueBuilder.PayloadMode;
import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: bytes in, values out, through the parser the way ByteToMessageDecoder drives it. */
final class Decoding {
  private Decoding() {}

  static byte[] bytes(String wire) {
    return wire.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] encode(RespValue v) {
    ByteBuf out = Unpooled.buffer();
    RespWriter.write(out, v);
    return ByteBufUtil.getBytes(out);
  }

  static List<RespValue> decode(byte[] wire) {
    return decode(wire, RespLimits.DEFAULT);
  }

  static List<RespValue> decode(byte[] wire, RespLimits limits) {
    return decodeSplit(wire, limits, new int[0]);
  }

  static RespValue decodeOne(byte[] wire) {
    List<RespValue> values = decode(wire);
    if (values.size() != 1) {
      throw new AssertionError("expected one value, got " + values);
    }
    return values.get(0);
  }

  /**
   * Feeds {@code wire} in fragments ending at {@code cuts} (ascending offsets), keeping unread bytes
   * in a cumulation buffer and discarding read ones between calls, as Netty's cumulator does.
   */
  static List<RespValue> decodeSplit(byte[] wire, RespLimits limits, int[] cuts) {
    List<RespValue> out = new ArrayList<>();
    RespParser parser = new RespParser(limits, false);
    RespValueBuilder builder = new RespValueBuilder(out::add);
    ByteBuf cumulation = Unpooled.buffer();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : wire.length;
      cumulation.writeBytes(wire, from, to - from);
      parser.parse(cumulation, builder);
      cumulation.discardReadBytes();
      from = to;
    }
    if (!parser.atFrameBoundary() || cumulation.isReadable()) {
      throw new AssertionError("input ended inside a frame: " + cumulation.readableBytes()
          + " bytes unread");
    }
    return out;
  }

  /** Decodes one byte per parse call. */
  static List<RespValue> decodeDrip(byte[] wire) {
    int[] cuts = new int[Math.max(0, wire.length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return decodeSplit(wire, RespLimits.DEFAULT, cuts);
  }

  /** Runs the parser over input that may be malformed; returns the values seen before any error. */
  static List<RespValue> decodeLenient(byte[] wire, RespLimits limits, PayloadMode mode) {
    List<RespValue> out = new ArrayList<>();
    RespParser parser = new RespParser(limits, false);
    RespValueBuilder builder = new RespValueBuilder(mode, 0, out::add);
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    try {
      parser.parse(in, builder);
    } finally {
      builder.reset();
    }
    return out;
  }
}
