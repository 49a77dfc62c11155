package dev.vigil.resp3.value;

import java.util.List;

/** {@code >n}: an out-of-band message (pub/sub, invalidation); its first element names the kind. */
public record Push(List<RespValue> elements) implements RespValue {
  public Push {
    elements = List.copyOf(elements);
    if (elements.isEmpty()) {
      throw new IllegalArgumentException("a push has at least its kind");
    }
  }

  /** The kind ({@code message}, {@code pmessage}, {@code invalidate}, ...), lower-cased. */
  public String kind() {
    return Resp.text(elements.get(0)).toLowerCase(java.util.Locale.ROOT);
  }

  public static Push of(RespValue... elements) {
    return new Push(List.of(elements));
  }

  public int size() {
    return elements.size();
  }

  public RespValue get(int index) {
    return elements.get(index);
  }

  @Override
  public RespType type() {
    return RespType.PUSH;
  }

  @Override
  public int refCnt() {
    return Trees.refCnt(elements);
  }

  @Override
  public Push retain() {
    return retain(1);
  }

  @Override
  public Push retain(int increment) {
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
