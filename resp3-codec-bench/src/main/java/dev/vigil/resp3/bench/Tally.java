package dev.vigil.resp3.bench;

/**
 * What a contender saw in its input: the sanity check compares these across contenders before any
 * timing, so a contender that skips or misreads elements cannot look fast.
 *
 * @param replies top-level values
 * @param aggregates arrays, maps, sets and pushes at any depth
 * @param leaves non-aggregate values at any depth
 * @param payloadBytes bytes of bulk and verbatim payloads (a verbatim string's text, without its
 *     {@code fmt:} prefix, as Lettuce reports it)
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

  Tally times(int n) {
    return new Tally(replies * n, aggregates * n, leaves * n, payloadBytes * n);
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
