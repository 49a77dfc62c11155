package dev.vigil.resp3.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@code +text}: a short status reply. Holds raw bytes (no CR or LF) so every byte round-trips. */
public final class SimpleString implements RespValue {
  public static final SimpleString OK = new SimpleString(ascii("OK"));
  public static final SimpleString PONG = new SimpleString(ascii("PONG"));
  public static final SimpleString QUEUED = new SimpleString(ascii("QUEUED"));

  private final byte[] bytes;
  private String text;

  private SimpleString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps bytes the caller will not modify afterwards; interns the common replies. */
  public static SimpleString ofTrusted(byte[] bytes) {
    if (Arrays.equals(bytes, OK.bytes)) {
      return OK;
    }
    if (Arrays.equals(bytes, PONG.bytes)) {
      return PONG;
    }
    if (Arrays.equals(bytes, QUEUED.bytes)) {
      return QUEUED;
    }
    return new SimpleString(bytes);
  }

  public static SimpleString of(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    Lines.requireNoCrLf(b, "simple string");
    return ofTrusted(b);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The raw bytes without copying; callers must not modify them. */
  public byte[] unsafeBytes() {
    return bytes;
  }

  /** The text as UTF-8. */
  public String text() {
    String t = text;
    if (t == null) {
      t = new String(bytes, StandardCharsets.UTF_8);
      text = t;
    }
    return t;
  }

  @Override
  public RespType type() {
    return RespType.SIMPLE_STRING;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimpleString s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "+" + text();
  }
}
