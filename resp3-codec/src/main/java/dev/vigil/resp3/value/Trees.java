package dev.vigil.resp3.value;

import java.util.List;

/** Deep reference counting for aggregates: an aggregate owns its elements' payloads. */
final class Trees {
  private Trees() {}

  static void retain(List<? extends RespValue> values, int increment) {
    for (RespValue v : values) {
      v.retain(increment);
    }
  }

  /** Releases every element; true when every payload-carrying element was deallocated. */
  static boolean release(List<? extends RespValue> values, int decrement) {
    boolean all = true;
    for (RespValue v : values) {
      all &= releaseOne(v, decrement);
    }
    return all;
  }

  /** Releases one value; true when it held no reference-counted payload or it was deallocated. */
  static boolean releaseOne(RespValue v, int decrement) {
    return v.release(decrement) || isPayloadFree(v);
  }

  static int refCnt(List<? extends RespValue> values) {
    int min = 1;
    for (RespValue v : values) {
      min = Math.min(min, v.refCnt());
    }
    return min;
  }

  private static boolean isPayloadFree(RespValue v) {
    return !(v instanceof BulkError || v instanceof VerbatimString)
        && !(v instanceof BulkString b && b.refCnt() != 1);
  }
}
