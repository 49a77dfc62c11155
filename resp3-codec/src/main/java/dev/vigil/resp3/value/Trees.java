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
      all &= v.release(decrement) || v.refCnt() == 1 && isPayloadFree(v);
    }
    return all;
  }

  static int refCnt(List<? extends RespValue> values) {
    int min = 1;
    for (RespValue v : values) {
      min = Math.min(min, v.refCnt());
    }
    return min;
  }

  private static boolean isPayloadFree(RespValue v) {
    return !(v instanceof BulkString || v instanceof BulkError || v instanceof VerbatimString);
  }
}
