package dev.vigil.resp3.value;

import java.util.List;

/** {@code ~n}: an unordered collection, kept in wire order; duplicates are allowed by the protocol. */
public record RespSet(List<RespValue> elements) implements RespValue {
  public RespSet {
    elements = List.copyOf(elements);
  }

  public static RespSet of(RespValue... elements) {
    return new RespSet(List.of(elements));
  }

  public int size() {
    return elements.size();
  }

  public RespValue get(int index) {
    return elements.get(index);
  }

  @Override
  public RespType type() {
    return RespType.SET;
  }

  @Override
  public int refCnt() {
    return Trees.refCnt(elements);
  }

  @Override
  public RespSet retain() {
    return retain(1);
  }

  @Override
  public RespSet retain(int increment) {
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
