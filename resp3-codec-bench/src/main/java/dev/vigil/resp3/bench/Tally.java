package dev.vigil.resp3.bench;

/**
 * What a contender saw in its input: the sanity check compares these across contenders before any
 * timing, so a contender that skips or misreads elements cannot look fast.
 *
 * @param replies top-level values
 * @param aggregates arrays, maps, sets and pushes at any depth
 * @param leaves non-aggregate values at any depth
 * @param payloadBytes text bytes of string-like leaves: simple strings and errors, bulk strings
 *     and errors, verbatim strings without their {@code fmt:} prefix (Lettuce reports simple
 *     strings through the same call as bulk strings, so only this total is comparable)
 */
record Tally(long replies, long aggregates, long leaves, long payloadBytes) {
  /** A negative field stands for "not observable by this contender" and matches anything. */
  static final long UNKNOWN = -1;

  boolean admits(Tally got) {
    return admits(replies, got.replies)
        && admits(aggregates, got.aggregates)
        && admits(leaves, got.leaves)
        && admits(payloadBytes, got.payloadBytes);
  }

  private static boolean admits(long want, long got) {
    return want < 0 || want == got;
  }

  Tally minus(Tally other) {
    return new Tally(
        replies - other.replies,
        aggregates - other.aggregates,
        leaves - other.leaves,
        payloadBytes - other.payloadBytes);
  }

  Tally times(int n) {
    return new Tally(scale(replies, n), scale(aggregates, n), scale(leaves, n), scale(payloadBytes, n));
  }

  private static long scale(long v, int n) {
    return v < 0 ? UNKNOWN : v * n;
  }

  /** A mutable counter that contenders fill in while they decode. */
  static final class Counter {
    long replies;
    long aggregates;
    long leaves;
    long payloadBytes;

    Tally snapshot() {
      return new Tally(replies, aggregates, leaves, payloadBytes);
    }
  }
}
