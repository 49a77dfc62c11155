package dev.vigil.resp3.value;

import java.util.ArrayList;
import java.util.List;

/** Factories for values and accessors that read replies without casting at every call site. */
public final class Resp {
  private Resp() {}

  public static SimpleString simple(String text) {
    return SimpleString.of(text);
  }

  public static SimpleError error(String message) {
    return SimpleError.of(message);
  }

  public static RespInteger integer(long value) {
    return RespInteger.of(value);
  }

  public static BulkString bulk(String text) {
    return BulkString.of(text);
  }

  public static BulkString bulk(byte[] bytes) {
    return BulkString.of(bytes);
  }

  public static RespArray array(RespValue... elements) {
    return RespArray.of(elements);
  }

  /** An array of bulk strings, the form of every command. */
  public static RespArray command(String... args) {
    List<RespValue> list = new ArrayList<>(args.length);
    for (String a : args) {
      list.add(BulkString.of(a));
    }
    return new RespArray(list);
  }

  /** True for values that carry text: simple strings, bulk strings and verbatim strings. */
  public static boolean isText(RespValue v) {
    return v instanceof SimpleString || v instanceof BulkString || v instanceof VerbatimString;
  }

  /**
   * The text of a string-like value (UTF-8); integers, doubles, big numbers and booleans as their
   * decimal or {@code true}/{@code false} form, errors as their message; null for the nulls.
   */
  public static String text(RespValue v) {
    if (v instanceof SimpleString s) {
      return s.text();
    } else if (v instanceof BulkString b) {
      return b.text();
    } else if (v instanceof VerbatimString s) {
      return s.text();
    } else if (v instanceof RespInteger i) {
      return Long.toString(i.value());
    } else if (v instanceof RespDouble d) {
      return d.text();
    } else if (v instanceof BigNumber b) {
      return b.text();
    } else if (v instanceof RespBoolean b) {
      return Boolean.toString(b.value());
    } else if (v instanceof SimpleError e) {
      return e.message();
    } else if (v instanceof BulkError e) {
      return e.message();
    } else if (v instanceof RespNull) {
      return null;
    } else if (v instanceof Attributed a) {
      return text(a.unwrap());
    }
    throw new IllegalArgumentException("not a scalar: " + v.type());
  }

  /** The integer value of an integer reply, or of a string holding a decimal integer. */
  public static long longValue(RespValue v) {
    if (v instanceof RespInteger i) {
      return i.value();
    }
    return Long.parseLong(text(v));
  }

  /** The elements of an array, set or push (a RESP2 reply to a map-shaped command too). */
  public static List<RespValue> elements(RespValue v) {
    if (v instanceof RespArray a) {
      return a.elements();
    } else if (v instanceof RespSet s) {
      return s.elements();
    } else if (v instanceof Push p) {
      return p.elements();
    } else if (v instanceof Attributed a) {
      return elements(a.unwrap());
    } else if (v instanceof RespNull) {
      return List.of();
    }
    throw new IllegalArgumentException("not an aggregate: " + v.type());
  }

  /**
   * A map reply as pairs whichever protocol carried it: RESP3 sends a map, RESP2 the same pairs as
   * a flat array.
   */
  public static RespMap asMap(RespValue v) {
    if (v instanceof RespMap m) {
      return m;
    }
    if (v instanceof Attributed a) {
      return asMap(a.unwrap());
    }
    List<RespValue> flat = elements(v);
    return RespMap.ofPairs(flat.toArray(RespValue[]::new));
  }
}
