package dev.vigil.resp3.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@code -CODE message}: an error reply. By convention the first word is the error code. */
public final class SimpleError implements RespValue {
  private final byte[] bytes;

  private SimpleError(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps bytes the caller will not modify afterwards. */
  public static SimpleError ofTrusted(byte[] bytes) {
    return new SimpleError(bytes);
  }

  public static SimpleError of(String message) {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    Lines.requireNoCrLf(b, "simple error");
    return new SimpleError(b);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public byte[] unsafeBytes() {
    return bytes;
  }

  public String message() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The error code: the first word of the message ({@code ERR}, {@code NOAUTH}, ...). */
  public String code() {
    String m = message();
    int space = m.indexOf(' ');
    return space < 0 ? m : m.substring(0, space);
  }

  @Override
  public RespType type() {
    return RespType.SIMPLE_ERROR;
  }

  @Override
  public boolean isError() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimpleError s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "-" + message();
  }
}
