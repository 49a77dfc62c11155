package dev.vigil.resp3.value;

import java.util.List;

/** {@code *n}: an ordered list (RESP2 and RESP3). */
public record RespArray(List<RespValue> elements) implements RespValue {
  public RespArray {
    elements = List.copyOf(elements);
  }

  public static RespArray of(RespValue... elements) {
    return new RespArray(List.of(elements));
  }

  public int size() {
    return elements.size();
  }

  public RespValue get(int index) {
    return elements.get(index);
  }

  @Override
  public RespType type() {
    return RespType.ARRAY;
  }

  @Override
  public int refCnt() {
    return Trees.refCnt(elements);
  }

  @Override
  public RespArray retain() {
    return retain(1);
  }

  @Override
  public RespArray retain(int increment) {
    Trees.retain(elements, increment);
    return this;
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    return Trees.release(elements, decrement);
  }
}
