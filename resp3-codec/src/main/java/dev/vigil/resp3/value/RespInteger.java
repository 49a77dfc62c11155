package dev.vigil.resp3.value;

/** {@code :n}: a signed 64-bit integer. */
public record RespInteger(long value) implements RespValue {
  private static final RespInteger[] SMALL = new RespInteger[129];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new RespInteger(i - 1);
    }
  }

  /** Shares instances for -1..127, the integers replies use most. */
  public static RespInteger of(long value) {
    return value >= -1 && value <= 127 ? SMALL[(int) value + 1] : new RespInteger(value);
  }

  @Override
  public RespType type() {
    return RespType.INTEGER;
  }

  @Override
  public String toString() {
    return ":" + value;
  }
}
