package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;

/**
 * Before anything is timed: each contender decodes its input twice (so a decoder that does not
 * come back to a clean state between inputs shows up too) and must report exactly the scenario's
 * expected tally, which {@link Wire} counted while writing the bytes. All contenders meeting the
 * same expectation is what makes their times comparable.
 */
final class SanityCheck {
  private static final int PASSES = 2;

  private SanityCheck() {}

  /** @throws IllegalStateException naming the contender, the scenario and both tallies */
  static void verify(Kind kind, Scenario scenario, Input in) {
    if (kind.isRoofline()) {
      return;
    }
    try (Feed feed = new Feed(kind.wire(in), scenario.fragmentSize);
        Contender c = kind.create(feed, true)) {
      for (int i = 0; i < PASSES; i++) {
        c.decodeAll();
      }
      Tally want = kind.expected(in).times(PASSES);
      Tally got = c.tally();
      if (!want.admits(got)) {
        throw new IllegalStateException(
            kind + " on " + scenario + " over " + PASSES + " passes: expected " + want + ", got " + got);
      }
    }
  }
}
