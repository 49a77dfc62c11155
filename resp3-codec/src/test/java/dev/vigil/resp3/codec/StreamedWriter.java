package dev.vigil.resp3.codec;

import dev.vigil.resp3.value.Attributed;
import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespSet;
import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Writes values with RESP3's streamed forms where they exist ({@code $?} in random chunks,
 * {@code *? ~? %?}), chosen at random, so tests can check they decode to the sized values. No
 * server sends these today, so the production encoder never writes them.
 */
final class StreamedWriter {
  private StreamedWriter() {}

  static byte[] encode(RespValue v, SplittableRandom random) {
    ByteBuf out = Unpooled.buffer();
    write(out, v, random);
    return ByteBufUtil.getBytes(out);
  }

  private static void write(ByteBuf out, RespValue v, SplittableRandom random) {
    boolean stream = random.nextBoolean();
    if (stream && v instanceof BulkString b) {
      out.writeCharSequence("$?\r\n", StandardCharsets.US_ASCII);
      ByteBuf c = b.content().duplicate();
      while (c.isReadable()) {
        int n = Math.min(c.readableBytes(), random.nextInt(1, 8));
        out.writeCharSequence(";" + n + "\r\n", StandardCharsets.US_ASCII);
        out.writeBytes(c, n);
        out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
      }
      out.writeCharSequence(";0\r\n", StandardCharsets.US_ASCII);
    } else if (stream && (v instanceof RespArray || v instanceof RespSet)) {
      out.writeCharSequence(v instanceof RespArray ? "*?\r\n" : "~?\r\n", StandardCharsets.US_ASCII);
      for (RespValue e : v instanceof RespArray a ? a.elements() : ((RespSet) v).elements()) {
        write(out, e, random);
      }
      out.writeCharSequence(".\r\n", StandardCharsets.US_ASCII);
    } else if (stream && v instanceof RespMap m) {
      out.writeCharSequence("%?\r\n", StandardCharsets.US_ASCII);
      writeEntries(out, m, random);
      out.writeCharSequence(".\r\n", StandardCharsets.US_ASCII);
    } else if (v instanceof RespArray a) {
      out.writeCharSequence("*" + a.size() + "\r\n", StandardCharsets.US_ASCII);
      a.elements().forEach(e -> write(out, e, random));
    } else if (v instanceof RespSet s) {
      out.writeCharSequence("~" + s.size() + "\r\n", StandardCharsets.US_ASCII);
      s.elements().forEach(e -> write(out, e, random));
    } else if (v instanceof RespMap m) {
      out.writeCharSequence("%" + m.size() + "\r\n", StandardCharsets.US_ASCII);
      writeEntries(out, m, random);
    } else if (v instanceof Attributed a) {
      out.writeCharSequence("|" + a.attributes().size() + "\r\n", StandardCharsets.US_ASCII);
      writeEntries(out, a.attributes(), random);
      write(out, a.value(), random);
    } else if (v instanceof dev.vigil.resp3.value.Push p) {
      out.writeCharSequence(">" + p.size() + "\r\n", StandardCharsets.US_ASCII);
      p.elements().forEach(e -> write(out, e, random));
    } else {
      RespWriter.write(out, v);
    }
  }

  private static void writeEntries(ByteBuf out, RespMap m, SplittableRandom random) {
    for (RespMap.Entry e : m.entries()) {
      write(out, e.key(), random);
      write(out, e.value(), random);
    }
  }
}
