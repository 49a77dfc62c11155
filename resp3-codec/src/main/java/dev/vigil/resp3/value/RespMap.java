package dev.vigil.resp3.value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code %n}: key/value pairs of any types, kept in wire order (duplicates too, as the protocol
 * does not forbid them), so re-encoding gives the same bytes.
 */
public record RespMap(List<Entry> entries) implements RespValue {
  /** One key/value pair. */
  public record Entry(RespValue key, RespValue value) {
    public Entry {
      if (key == null || value == null) {
        throw new NullPointerException("map keys and values are RespValues, never null");
      }
    }
  }

  public RespMap {
    entries = List.copyOf(entries);
  }

  /** Pairs from alternating keys and values. */
  public static RespMap ofPairs(RespValue... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of map items");
    }
    List<Entry> list = new ArrayList<>(keysAndValues.length / 2);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      list.add(new Entry(keysAndValues[i], keysAndValues[i + 1]));
    }
    return new RespMap(list);
  }

  public int size() {
    return entries.size();
  }

  /** The pairs as a map keyed by each key's text (later duplicates win), in wire order. */
  public Map<String, RespValue> asStringKeyed() {
    Map<String, RespValue> map = new LinkedHashMap<>();
    for (Entry e : entries) {
      map.put(Resp.text(e.key()), e.value());
    }
    return map;
  }

  /** The value for a key whose text is {@code key}, or null. */
  public RespValue get(String key) {
    for (Entry e : entries) {
      if (Resp.isText(e.key()) && key.equals(Resp.text(e.key()))) {
        return e.value();
      }
    }
    return null;
  }

  @Override
  public RespType type() {
    return RespType.MAP;
  }

  @Override
  public int refCnt() {
    int min = 1;
    for (Entry e : entries) {
      min = Math.min(min, Math.min(e.key().refCnt(), e.value().refCnt()));
    }
    return min;
  }

  @Override
  public RespMap retain() {
    return retain(1);
  }

  @Override
  public RespMap retain(int increment) {
    for (Entry e : entries) {
      e.key().retain(increment);
      e.value().retain(increment);
    }
    return this;
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    boolean all = true;
    for (Entry e : entries) {
      all &= Trees.releaseOne(e.key(), decrement);
      all &= Trees.releaseOne(e.value(), decrement);
    }
    return all;
  }
}
