package dev.vigil.resp3.value;

/**
 * A value preceded on the wire by an attribute ({@code |n} pairs): auxiliary data such as key
 * popularity that annotates the value that follows. Chained attributes nest: the outer one came
 * first. Attributes may precede a value at any depth, including a map key or a top-level push.
 */
public record Attributed(RespMap attributes, RespValue value) implements RespValue {
  public Attributed {
    if (attributes == null || value == null) {
      throw new NullPointerException("an attribute annotates a value");
    }
  }

  /** The annotated value with every attribute layer removed. */
  public RespValue unwrap() {
    RespValue v = value;
    while (v instanceof Attributed a) {
      v = a.value;
    }
    return v;
  }

  @Override
  public RespType type() {
    return RespType.ATTRIBUTE;
  }

  @Override
  public int refCnt() {
    return Math.min(attributes.refCnt(), value.refCnt());
  }

  @Override
  public Attributed retain() {
    return retain(1);
  }

  @Override
  public Attributed retain(int increment) {
    attributes.retain(increment);
    value.retain(increment);
    return this;
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    boolean a = attributes.release(decrement);
    return value.release(decrement) & a;
  }
}
