package dev.vigil.resp3.codec;

import dev.vigil.resp3.value.Attributed;
import dev.vigil.resp3.value.BigNumber;
import dev.vigil.resp3.value.BulkError;
import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespBoolean;
import dev.vigil.resp3.value.RespDouble;
import dev.vigil.resp3.value.RespInteger;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespNull;
import dev.vigil.resp3.value.RespSet;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleError;
import dev.vigil.resp3.value.SimpleString;
import dev.vigil.resp3.value.VerbatimString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes values and commands as exact RESP bytes. Every value has one canonical encoding, the one
 * Valkey sends, so {@code encode(decode(b)) == b} for canonical input and
 * {@code decode(encode(v)).equals(v)} for every value.
 */
public final class RespWriter {
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  private RespWriter() {}

  public static void write(ByteBuf out, RespValue v) {
    if (v instanceof BulkString b) {
      writeBulk(out, b);
    } else if (v instanceof SimpleString s) {
      writeLine(out, '+', s.unsafeBytes());
    } else if (v instanceof RespInteger i) {
      out.writeByte(':');
      writeDecimal(out, i.value());
      out.writeShort(CRLF);
    } else if (v instanceof RespArray a) {
      writeAggregate(out, '*', a.elements());
    } else if (v instanceof RespMap m) {
      writeEntries(out, '%', m);
    } else if (v instanceof SimpleError e) {
      writeLine(out, '-', e.unsafeBytes());
    } else if (v instanceof RespNull n) {
      switch (n) {
        case NULL -> out.writeByte('_');
        case NULL_BULK -> out.writeBytes(new byte[] {'$', '-', '1'});
        case NULL_ARRAY -> out.writeBytes(new byte[] {'*', '-', '1'});
      }
      out.writeShort(CRLF);
    } else if (v instanceof RespBoolean b) {
      out.writeByte('#');
      out.writeByte(b.value() ? 't' : 'f');
      out.writeShort(CRLF);
    } else if (v instanceof RespDouble d) {
      out.writeByte(',');
      out.writeCharSequence(d.text(), StandardCharsets.US_ASCII);
      out.writeShort(CRLF);
    } else if (v instanceof BigNumber b) {
      out.writeByte('(');
      out.writeCharSequence(b.text(), StandardCharsets.US_ASCII);
      out.writeShort(CRLF);
    } else if (v instanceof BulkError e) {
      writeBlob(out, '!', e.content());
    } else if (v instanceof VerbatimString s) {
      ByteBuf c = s.content();
      out.writeByte('=');
      writeDecimal(out, c.readableBytes() + 4L);
      out.writeShort(CRLF);
      out.writeCharSequence(s.format(), StandardCharsets.ISO_8859_1);
      out.writeByte(':');
      out.writeBytes(c, c.readerIndex(), c.readableBytes());
      out.writeShort(CRLF);
    } else if (v instanceof RespSet s) {
      writeAggregate(out, '~', s.elements());
    } else if (v instanceof Push p) {
      writeAggregate(out, '>', p.elements());
    } else if (v instanceof Attributed a) {
      writeEntries(out, '|', a.attributes());
      write(out, a.value());
    } else {
      throw new IllegalArgumentException("unknown value " + v);
    }
  }

  /**
   * Writes a command: an array of bulk strings. Arguments may be {@code String} (UTF-8),
   * {@code byte[]}, {@link ByteBuf} (its readable bytes, not consumed) or any other object, which
   * is written as its {@code toString()} (numbers, enums).
   */
  public static void writeCommand(ByteBuf out, Object... args) {
    out.writeByte('*');
    writeDecimal(out, args.length);
    out.writeShort(CRLF);
    for (Object arg : args) {
      writeArgument(out, arg);
    }
  }

  public static void writeCommand(ByteBuf out, List<?> args) {
    out.writeByte('*');
    writeDecimal(out, args.size());
    out.writeShort(CRLF);
    for (Object arg : args) {
      writeArgument(out, arg);
    }
  }

  private static void writeArgument(ByteBuf out, Object arg) {
    if (arg instanceof byte[] bytes) {
      out.writeByte('$');
      writeDecimal(out, bytes.length);
      out.writeShort(CRLF);
      out.writeBytes(bytes);
      out.writeShort(CRLF);
    } else if (arg instanceof ByteBuf buf) {
      writeBlob(out, '$', buf);
    } else if (arg instanceof BulkString b) {
      writeBulk(out, b);
    } else {
      CharSequence s = arg instanceof CharSequence cs ? cs : String.valueOf(arg);
      out.writeByte('$');
      writeDecimal(out, ByteBufUtil.utf8Bytes(s));
      out.writeShort(CRLF);
      ByteBufUtil.writeUtf8(out, s);
      out.writeShort(CRLF);
    }
  }

  private static void writeBulk(ByteBuf out, BulkString b) {
    out.writeByte('$');
    writeDecimal(out, b.length());
    out.writeShort(CRLF);
    b.copyTo(out);
    out.writeShort(CRLF);
  }

  private static void writeBlob(ByteBuf out, char prefix, ByteBuf content) {
    int n = content.readableBytes();
    out.writeByte(prefix);
    writeDecimal(out, n);
    out.writeShort(CRLF);
    out.writeBytes(content, content.readerIndex(), n);
    out.writeShort(CRLF);
  }

  private static void writeLine(ByteBuf out, char prefix, byte[] text) {
    out.writeByte(prefix);
    out.writeBytes(text);
    out.writeShort(CRLF);
  }

  private static void writeAggregate(ByteBuf out, char prefix, List<RespValue> elements) {
    out.writeByte(prefix);
    writeDecimal(out, elements.size());
    out.writeShort(CRLF);
    for (RespValue e : elements) {
      write(out, e);
    }
  }

  private static void writeEntries(ByteBuf out, char prefix, RespMap map) {
    out.writeByte(prefix);
    writeDecimal(out, map.size());
    out.writeShort(CRLF);
    for (RespMap.Entry e : map.entries()) {
      write(out, e.key());
      write(out, e.value());
    }
  }

  /** Decimal digits without going through a String. */
  static void writeDecimal(ByteBuf out, long value) {
    if (value == Long.MIN_VALUE) {
      out.writeBytes(MIN_LONG);
      return;
    }
    if (value < 0) {
      out.writeByte('-');
      value = -value;
    }
    if (value < 10) {
      out.writeByte((int) ('0' + value));
      return;
    }
    int digits = 1;
    for (long p = 10; p <= value && digits < 19; p *= 10) {
      digits++;
    }
    int start = out.writerIndex();
    out.ensureWritable(digits);
    int pos = start + digits;
    while (value > 0) {
      out.setByte(--pos, (int) ('0' + value % 10));
      value /= 10;
    }
    out.writerIndex(start + digits);
  }
}
