package dev.vigil.resp3.value;

/** {@code #t} / {@code #f}. */
public enum RespBoolean implements RespValue {
  FALSE,
  TRUE;

  public static RespBoolean of(boolean value) {
    return value ? TRUE : FALSE;
  }

  public boolean value() {
    return this == TRUE;
  }

  @Override
  public RespType type() {
    return RespType.BOOLEAN;
  }

  @Override
  public String toString() {
    return this == TRUE ? "#t" : "#f";
  }
}
