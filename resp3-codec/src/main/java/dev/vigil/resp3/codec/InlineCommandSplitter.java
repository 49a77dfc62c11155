package dev.vigil.resp3.codec;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments the way Valkey's {@code sdssplitargs} does:
 * whitespace-separated words; {@code "..."} with {@code \n \r \t \b \a \\ \" \xHH} escapes;
 * {@code '...'} with only {@code \'} escaped; a closing quote must be followed by whitespace.
 * The same syntax is used for inline commands and for valkey.conf / sentinel.conf lines.
 *
 * @throws IllegalArgumentException on unbalanced quotes
 */
public final class InlineCommandSplitter {
  private InlineCommandSplitter() {}

  /** Splits a text line, e.g. a sentinel.conf directive, into its arguments (UTF-8). */
  public static List<String> split(String line) {
    byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (byte[] arg : split(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length)) {
      out.add(new String(arg, java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  static List<byte[]> split(ByteBuf in, int from, int to) {
    List<byte[]> args = new ArrayList<>();
    int i = from;
    while (true) {
      while (i < to && isSpace(in.getByte(i))) {
        i++;
      }
      if (i >= to) {
        return args;
      }
      ByteArrayOutputStream arg = new ByteArrayOutputStream();
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      while (!done) {
        if (inDouble) {
          if (i >= to) {
            throw new IllegalArgumentException("unbalanced quotes in inline command");
          }
          byte c = in.getByte(i);
          if (c == '\\' && i + 3 < to && in.getByte(i + 1) == 'x'
              && isHex(in.getByte(i + 2)) && isHex(in.getByte(i + 3))) {
            arg.write(hex(in.getByte(i + 2)) * 16 + hex(in.getByte(i + 3)));
            i += 3;
          } else if (c == '\\' && i + 1 < to) {
            i++;
            arg.write(unescape(in.getByte(i)));
          } else if (c == '"') {
            requireSpaceAfterQuote(in, i + 1, to);
            done = true;
          } else {
            arg.write(c);
          }
        } else if (inSingle) {
          if (i >= to) {
            throw new IllegalArgumentException("unbalanced quotes in inline command");
          }
          byte c = in.getByte(i);
          if (c == '\\' && i + 1 < to && in.getByte(i + 1) == '\'') {
            i++;
            arg.write('\'');
          } else if (c == '\'') {
            requireSpaceAfterQuote(in, i + 1, to);
            done = true;
          } else {
            arg.write(c);
          }
        } else {
          if (i >= to) {
            done = true;
            continue;
          }
          byte c = in.getByte(i);
          if (isSpace(c)) {
            done = true;
          } else if (c == '"') {
            inDouble = true;
          } else if (c == '\'') {
            inSingle = true;
          } else {
            arg.write(c);
          }
        }
        if (i < to) {
          i++;
        }
      }
      args.add(arg.toByteArray());
    }
  }

  private static void requireSpaceAfterQuote(ByteBuf in, int next, int to) {
    if (next < to && !isSpace(in.getByte(next))) {
      throw new IllegalArgumentException("closing quote must be followed by a space");
    }
  }

  private static int unescape(byte c) {
    return switch (c) {
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'a' -> 7;
      default -> c;
    };
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0b;
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(byte c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }
}
