package dev.vigil.resp3.value;

/**
 * {@code ,text}: a double. Keeps the validated wire text, because Valkey's shortest-round-trip
 * formatting differs from {@link Double#toString} and re-encoding must give the same bytes.
 */
public record RespDouble(String text) implements RespValue {
  public RespDouble {
    if (!NumberSyntax.isDouble(text)) {
      throw new IllegalArgumentException("not a RESP3 double: " + text);
    }
  }

  /** The double for a Java value, formatted as Valkey formats it where the two agree. */
  public static RespDouble of(double value) {
    if (Double.isNaN(value)) {
      return new RespDouble("nan");
    }
    if (Double.isInfinite(value)) {
      return new RespDouble(value > 0 ? "inf" : "-inf");
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e17) {
      return new RespDouble((value == 0 && 1 / value < 0) ? "-0" : Long.toString((long) value));
    }
    return new RespDouble(Double.toString(value));
  }

  public double value() {
    return switch (text) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  @Override
  public RespType type() {
    return RespType.DOUBLE;
  }

  @Override
  public String toString() {
    return "," + text;
  }
}
