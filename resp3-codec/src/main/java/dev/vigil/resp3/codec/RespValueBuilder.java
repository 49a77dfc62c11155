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
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link RespSink} that builds {@link RespValue} trees and hands each finished top-level value to
 * a consumer.
 *
 * <p>Payloads are either copied onto the heap ({@link PayloadMode#COPY}: values are plain data,
 * nothing to release) or kept as retained slices of the input ({@link PayloadMode#RETAINED_SLICE}:
 * zero-copy; the consumer owns each value and releases it once). Slicing is only worth it for large
 * payloads, so payloads under {@code sliceThreshold} bytes are copied in either mode.
 */
public final class RespValueBuilder implements RespSink {
  /** How payload bytes get from the input into values. */
  public enum PayloadMode {
    COPY,
    RETAINED_SLICE
  }

  /** Lists are sized from the header only up to this: a hostile count must not pre-allocate. */
  private static final int INITIAL_CAPACITY_CAP = 64;

  private final PayloadMode mode;
  private final int sliceThreshold;
  private Consumer<RespValue> consumer;

  private final List<Level> levels = new ArrayList<>();
  private int depth;
  private List<RespMap> topAttributes;
  private RespValue top;
  private ByteBuf streamed;

  /** One open aggregate. Levels are reused across frames to avoid garbage. */
  private static final class Level {
    byte type;
    List<RespValue> items;
    List<RespMap> attributes;
  }

  public RespValueBuilder(PayloadMode mode, int sliceThreshold, Consumer<RespValue> consumer) {
    this.mode = mode;
    this.sliceThreshold = sliceThreshold;
    this.consumer = consumer;
  }

  public RespValueBuilder(Consumer<RespValue> consumer) {
    this(PayloadMode.COPY, 0, consumer);
  }

  /** Redirects finished values, e.g. to the output list of the current decode call. */
  public void consumer(Consumer<RespValue> consumer) {
    this.consumer = consumer;
  }

  /** Releases and forgets a partially built frame (after a protocol error or a closed channel). */
  public void reset() {
    for (int i = 0; i < depth; i++) {
      Level l = levels.get(i);
      l.items.forEach(RespValue::release);
      if (l.attributes != null) {
        l.attributes.forEach(RespValue::release);
      }
      l.items = null;
      l.attributes = null;
    }
    depth = 0;
    if (topAttributes != null) {
      topAttributes.forEach(RespValue::release);
      topAttributes = null;
    }
    if (top != null) {
      top.release();
      top = null;
    }
    if (streamed != null) {
      streamed.release();
      streamed = null;
    }
  }

  @Override
  public void simpleString(ByteBuf buf, int index, int length) {
    SimpleString common = common(buf, index, length);
    value(common != null ? common : SimpleString.ofTrusted(ByteBufUtil.getBytes(buf, index, length)));
  }

  /** The shared OK / PONG / QUEUED, compared in the buffer so the common replies allocate nothing. */
  private static SimpleString common(ByteBuf buf, int index, int length) {
    for (SimpleString s : COMMON) {
      byte[] b = s.unsafeBytes();
      if (b.length == length && sameBytes(buf, index, b)) {
        return s;
      }
    }
    return null;
  }

  private static boolean sameBytes(ByteBuf buf, int index, byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (buf.getByte(index + i) != b[i]) {
        return false;
      }
    }
    return true;
  }

  private static final SimpleString[] COMMON = {SimpleString.OK, SimpleString.PONG, SimpleString.QUEUED};

  @Override
  public void simpleError(ByteBuf buf, int index, int length) {
    value(SimpleError.ofTrusted(ByteBufUtil.getBytes(buf, index, length)));
  }

  @Override
  public void integer(long value) {
    value(RespInteger.of(value));
  }

  @Override
  public void doubleValue(ByteBuf buf, int index, int length) {
    value(new RespDouble(buf.toString(index, length, StandardCharsets.US_ASCII)));
  }

  @Override
  public void bigNumber(ByteBuf buf, int index, int length) {
    value(new BigNumber(buf.toString(index, length, StandardCharsets.US_ASCII)));
  }

  @Override
  public void booleanValue(boolean value) {
    value(RespBoolean.of(value));
  }

  @Override
  public void nullValue(RespNull kind) {
    value(kind);
  }

  @Override
  public void bulkString(ByteBuf buf, int index, int length) {
    if (length == 0) {
      value(BulkString.EMPTY);
    } else if (mode == PayloadMode.RETAINED_SLICE && length >= sliceThreshold) {
      value(BulkString.wrap(buf.retainedSlice(index, length)));
    } else {
      byte[] copy = new byte[length];
      buf.getBytes(index, copy);
      value(BulkString.ofTrusted(copy));
    }
  }

  @Override
  public void bulkError(ByteBuf buf, int index, int length) {
    value(BulkError.wrap(payload(buf, index, length)));
  }

  @Override
  public void verbatimString(ByteBuf buf, int index, int length) {
    String format = buf.toString(index, 3, StandardCharsets.ISO_8859_1);
    value(VerbatimString.wrap(format, payload(buf, index + 4, length - 4)));
  }

  @Override
  public void streamedStringStart() {
    streamed = mode == PayloadMode.COPY ? Unpooled.buffer() : Unpooled.compositeBuffer(1024);
  }

  @Override
  public void streamedStringChunk(ByteBuf buf, int index, int length) {
    if (streamed instanceof CompositeByteBuf composite) {
      composite.addComponent(true, payload(buf, index, length));
    } else {
      streamed.writeBytes(buf, index, length);
    }
  }

  @Override
  public void streamedStringEnd() {
    ByteBuf content = streamed;
    streamed = null;
    value(BulkString.wrap(content));
  }

  @Override
  public void aggregateStart(byte type, int count) {
    if (depth == levels.size()) {
      levels.add(new Level());
    }
    Level l = levels.get(depth++);
    l.type = type;
    long items = type == '%' || type == '|' ? 2L * Math.max(count, 0) : count;
    l.items = new ArrayList<>(count < 0 ? 16 : (int) Math.min(items, INITIAL_CAPACITY_CAP));
    l.attributes = null;
  }

  @Override
  public void aggregateEnd() {
    Level l = levels.get(--depth);
    List<RespValue> items = l.items;
    l.items = null;
    RespValue v;
    switch (l.type) {
      case '*' -> v = new RespArray(items);
      case '~' -> v = new RespSet(items);
      case '>' -> v = new Push(items);
      case '%' -> v = new RespMap(pairs(items));
      case '|' -> {
        attributes().add(new RespMap(pairs(items)));
        return;
      }
      default -> throw new IllegalStateException("aggregate type " + (char) l.type);
    }
    value(v);
  }

  @Override
  public void frameEnd() {
    RespValue v = top;
    top = null;
    consumer.accept(v);
  }

  private static List<RespMap.Entry> pairs(List<RespValue> items) {
    List<RespMap.Entry> entries = new ArrayList<>(items.size() / 2);
    for (int i = 0; i < items.size(); i += 2) {
      entries.add(new RespMap.Entry(items.get(i), items.get(i + 1)));
    }
    return entries;
  }

  /** The attributes waiting for the next value at the current level. */
  private List<RespMap> attributes() {
    if (depth == 0) {
      if (topAttributes == null) {
        topAttributes = new ArrayList<>(1);
      }
      return topAttributes;
    }
    Level l = levels.get(depth - 1);
    if (l.attributes == null) {
      l.attributes = new ArrayList<>(1);
    }
    return l.attributes;
  }

  private void value(RespValue v) {
    List<RespMap> attrs;
    if (depth == 0) {
      attrs = topAttributes;
      topAttributes = null;
    } else {
      Level l = levels.get(depth - 1);
      attrs = l.attributes;
      l.attributes = null;
    }
    if (attrs != null) {
      for (int i = attrs.size() - 1; i >= 0; i--) {
        v = new Attributed(attrs.get(i), v);
      }
    }
    if (depth == 0) {
      top = v;
    } else {
      levels.get(depth - 1).items.add(v);
    }
  }

  private ByteBuf payload(ByteBuf buf, int index, int length) {
    if (mode == PayloadMode.RETAINED_SLICE && length >= sliceThreshold) {
      return buf.retainedSlice(index, length);
    }
    byte[] copy = new byte[length];
    buf.getBytes(index, copy);
    return Unpooled.wrappedBuffer(copy);
  }
}
