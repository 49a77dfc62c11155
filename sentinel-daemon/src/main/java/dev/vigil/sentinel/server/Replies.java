package dev.vigil.sentinel.server;

import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespNull;
import dev.vigil.resp3.value.RespSet;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleError;
import dev.vigil.resp3.value.SimpleString;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply helpers. Handlers build RESP3-shaped replies; {@link #forProtocol} turns them into what a
 * RESP2 client gets, exactly as Valkey does: maps become flat key/value arrays, sets arrays,
 * pushes arrays, the RESP3 null a null bulk (handlers that mean a null array say so).
 */
final class Replies {
  static final SimpleString OK = SimpleString.OK;

  private Replies() {}

  static SimpleError error(String message) {
    return SimpleError.of(message);
  }

  static BulkString bulk(Object value) {
    return BulkString.of(String.valueOf(value));
  }

  static RespArray bulkArray(List<String> items) {
    List<RespValue> out = new ArrayList<>(items.size());
    items.forEach(i -> out.add(BulkString.of(i)));
    return new RespArray(out);
  }

  /** A map of bulk strings from alternating keys and values (Sentinel's instance replies). */
  static RespMap bulkMap(List<Object> keysAndValues) {
    List<RespMap.Entry> entries = new ArrayList<>(keysAndValues.size() / 2);
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      entries.add(new RespMap.Entry(bulk(keysAndValues.get(i)), bulk(keysAndValues.get(i + 1))));
    }
    return new RespMap(entries);
  }

  static RespValue forProtocol(RespValue v, int protocol) {
    if (protocol >= 3) {
      if (v == RespNull.NULL_ARRAY || v == RespNull.NULL_BULK) {
        return RespNull.NULL;
      }
      return v;
    }
    if (v instanceof RespMap m) {
      List<RespValue> flat = new ArrayList<>(m.size() * 2);
      for (RespMap.Entry e : m.entries()) {
        flat.add(forProtocol(e.key(), protocol));
        flat.add(forProtocol(e.value(), protocol));
      }
      return new RespArray(flat);
    }
    if (v instanceof RespArray a) {
      return new RespArray(convert(a.elements(), protocol));
    }
    if (v instanceof RespSet s) {
      return new RespArray(convert(s.elements(), protocol));
    }
    if (v instanceof Push p) {
      return new RespArray(convert(p.elements(), protocol));
    }
    if (v == RespNull.NULL) {
      return RespNull.NULL_BULK;
    }
    return v;
  }

  private static List<RespValue> convert(List<RespValue> items, int protocol) {
    List<RespValue> out = new ArrayList<>(items.size());
    items.forEach(i -> out.add(forProtocol(i, protocol)));
    return out;
  }
}
