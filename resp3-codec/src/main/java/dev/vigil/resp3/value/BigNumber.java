package dev.vigil.resp3.value;

import java.math.BigInteger;

/** {@code (digits}: an integer of any size, kept as its validated decimal text. */
public record BigNumber(String text) implements RespValue {
  public BigNumber {
    if (!NumberSyntax.isBigNumber(text)) {
      throw new IllegalArgumentException("not a RESP3 big number: " + text);
    }
  }

  public static BigNumber of(BigInteger value) {
    return new BigNumber(value.toString());
  }

  public BigInteger value() {
    return new BigInteger(text);
  }

  @Override
  public RespType type() {
    return RespType.BIG_NUMBER;
  }

  @Override
  public String toString() {
    return "(" + text;
  }
}
