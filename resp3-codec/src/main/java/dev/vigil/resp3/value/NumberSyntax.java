package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The strict number grammars of RESP3, checked on raw bytes so the decoder needs no String.
 *
 * <p>Integers and big numbers: an optional {@code -}, then digits without leading zeros, and not
 * {@code -0} (as hiredis' {@code string2ll}; Valkey never sends anything else). Doubles:
 * {@code [+|-]digits[.digits][(e|E)[+|-]digits]}, {@code inf}, {@code -inf} or {@code nan}: the
 * spec's grammar, which rejects what {@link Double#parseDouble} would wrongly accept
 * ({@code Infinity}, {@code 0x1p3}, {@code 1d}, {@code .5}, surrounding spaces).
 */
public final class NumberSyntax {
  private NumberSyntax() {}

  /** Parses a strict signed 64-bit integer in {@code [from, to)}; throws on anything else. */
  public static long parseLong(ByteBuf buf, int from, int to) {
    if (from >= to) {
      throw new NumberFormatException("empty integer");
    }
    boolean negative = buf.getByte(from) == '-';
    int i = negative ? from + 1 : from;
    if (i >= to) {
      throw new NumberFormatException("sign without digits");
    }
    if (buf.getByte(i) == '0' && (to - i > 1 || negative)) {
      throw new NumberFormatException("leading zero or negative zero");
    }
    // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multMin = limit / 10;
    long result = 0;
    for (; i < to; i++) {
      int d = buf.getByte(i) - '0';
      if (d < 0 || d > 9) {
        throw new NumberFormatException("not a digit");
      }
      if (result < multMin) {
        throw new NumberFormatException("integer overflows 64 bits");
      }
      result *= 10;
      if (result < limit + d) {
        throw new NumberFormatException("integer overflows 64 bits");
      }
      result -= d;
    }
    return negative ? result : -result;
  }

  /** True when {@code [from, to)} is a strict big number: {@code -?digits}, no leading zeros. */
  public static boolean isBigNumber(ByteBuf buf, int from, int to) {
    boolean negative = from < to && buf.getByte(from) == '-';
    int i = negative ? from + 1 : from;
    if (i >= to || (buf.getByte(i) == '0' && (to - i > 1 || negative))) {
      return false;
    }
    return allDigits(buf, i, to);
  }

  /** True when {@code [from, to)} is a RESP3 double. */
  public static boolean isDouble(ByteBuf buf, int from, int to) {
    int n = to - from;
    if (n == 3 && matches(buf, from, "inf") || n == 3 && matches(buf, from, "nan")) {
      return true;
    }
    if (n == 4 && matches(buf, from, "-inf")) {
      return true;
    }
    int i = from;
    if (i < to && (buf.getByte(i) == '-' || buf.getByte(i) == '+')) {
      i++;
    }
    int intStart = i;
    i = skipDigits(buf, i, to);
    if (i == intStart) {
      return false;
    }
    if (i < to && buf.getByte(i) == '.') {
      int fracStart = ++i;
      i = skipDigits(buf, i, to);
      if (i == fracStart) {
        return false;
      }
    }
    if (i < to && (buf.getByte(i) == 'e' || buf.getByte(i) == 'E')) {
      i++;
      if (i < to && (buf.getByte(i) == '-' || buf.getByte(i) == '+')) {
        i++;
      }
      int expStart = i;
      i = skipDigits(buf, i, to);
      if (i == expStart) {
        return false;
      }
    }
    return i == to;
  }

  static boolean isDouble(String text) {
    ByteBuf b = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    return isDouble(b, 0, b.writerIndex());
  }

  static boolean isBigNumber(String text) {
    ByteBuf b = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    return isBigNumber(b, 0, b.writerIndex());
  }

  private static boolean allDigits(ByteBuf buf, int from, int to) {
    return skipDigits(buf, from, to) == to;
  }

  private static int skipDigits(ByteBuf buf, int i, int to) {
    while (i < to) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      i++;
    }
    return i;
  }

  private static boolean matches(ByteBuf buf, int from, String ascii) {
    for (int k = 0; k < ascii.length(); k++) {
      if (buf.getByte(from + k) != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
