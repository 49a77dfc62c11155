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
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of arbitrary value trees over every type: edge numbers, binary payloads with
 * CR/LF inside, the three nulls, attributes at any depth (map keys included), pushes at the top.
 */
final class RandomValues {
  private static final long[] EDGE_LONGS = {
    0, 1, -1, 9, 10, -10, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1_000_000_000_000L
  };
  private static final String[] EDGE_DOUBLES = {
    "inf", "-inf", "nan", "0", "-0", "1.5", "-2.25", "1e+300", "1.7976931348623157E308",
    "4.9E-324", "10", "+3.5", "123456789012345678901234567890"
  };

  private final SplittableRandom random;
  private final int maxDepth;

  RandomValues(long seed, int maxDepth) {
    this.random = new SplittableRandom(seed);
    this.maxDepth = maxDepth;
  }

  /** A top-level frame: any value, sometimes a push, sometimes behind attributes. */
  RespValue frame() {
    RespValue v = random.nextInt(10) == 0 ? push() : value(0);
    return maybeAttributed(v, 0);
  }

  private RespValue push() {
    List<RespValue> items = new ArrayList<>();
    items.add(random.nextBoolean() ? BulkString.of("message") : SimpleString.of("invalidate"));
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add(value(1));
    }
    return new Push(items);
  }

  RespValue value(int depth) {
    int kinds = depth >= maxDepth ? 15 : 20;
    RespValue v = switch (random.nextInt(kinds)) {
      case 0 -> SimpleString.ofTrusted(lineBytes());
      case 1 -> SimpleError.ofTrusted(lineBytes());
      case 2 -> RespInteger.of(longValue());
      case 3 -> new RespDouble(doubleText());
      case 4 -> new BigNumber(bigText());
      case 5 -> RespBoolean.of(random.nextBoolean());
      case 6 -> RespNull.values()[random.nextInt(3)];
      case 7, 8, 9 -> BulkString.wrap(Unpooled.wrappedBuffer(payload()));
      case 10 -> BulkError.wrap(Unpooled.wrappedBuffer(payload()));
      case 11 -> VerbatimString.wrap(random.nextBoolean() ? "txt" : "mkd",
          Unpooled.wrappedBuffer(payload()));
      case 12, 13, 14 -> BulkString.of(Integer.toString(random.nextInt(1000)));
      case 15, 16 -> new RespArray(children(depth));
      case 17 -> new RespSet(children(depth));
      default -> map(depth);
    };
    return depth > 0 ? maybeAttributed(v, depth) : v;
  }

  private RespValue maybeAttributed(RespValue v, int depth) {
    if (depth >= maxDepth || random.nextInt(12) != 0) {
      return v;
    }
    return new Attributed(map(depth), maybeAttributed(v, depth));
  }

  private RespMap map(int depth) {
    List<RespValue> items = children(depth);
    List<RespMap.Entry> entries = new ArrayList<>();
    for (int i = 0; i + 1 < items.size(); i += 2) {
      entries.add(new RespMap.Entry(items.get(i), items.get(i + 1)));
    }
    return new RespMap(entries);
  }

  private List<RespValue> children(int depth) {
    int n = random.nextInt(6) == 0 ? 0 : random.nextInt(1, 7);
    List<RespValue> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(value(depth + 1));
    }
    return items;
  }

  private long longValue() {
    return random.nextBoolean() ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
  }

  private String doubleText() {
    return switch (random.nextInt(3)) {
      case 0 -> EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)];
      case 1 -> RespDouble.of(random.nextDouble() * Math.pow(10, random.nextInt(-20, 20))).text();
      default -> Long.toString(random.nextLong());
    };
  }

  private String bigText() {
    BigInteger b = new BigInteger(random.nextInt(1, 200), new java.util.Random(random.nextLong()));
    return random.nextBoolean() && b.signum() != 0 ? b.negate().toString() : b.toString();
  }

  private byte[] lineBytes() {
    byte[] b = new byte[random.nextInt(12)];
    for (int i = 0; i < b.length; i++) {
      byte c;
      do {
        c = (byte) random.nextInt(256);
      } while (c == '\r' || c == '\n');
      b[i] = c;
    }
    return b;
  }

  private byte[] payload() {
    int n = random.nextInt(8) == 0 ? random.nextInt(2000) : random.nextInt(16);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = random.nextInt(5) == 0 ? (byte) (random.nextBoolean() ? '\r' : '\n')
          : (byte) random.nextInt(256);
    }
    return b;
  }
}
