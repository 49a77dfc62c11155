package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;
import dev.vigil.resp3.bench.Scenario.Roof;

/**
 * The contenders, named as their benchmark methods. Each knows which scenarios it can read and
 * how to build itself, and what of a scenario's expected tally it can be held to.
 */
enum Kind {
  oursEvents("ours, events"),
  lettuceNoop("Lettuce, no-op output"),
  oursTree("ours, value trees"),
  lettuceTree("Lettuce, ArrayOutput"),
  nettyRaw("Netty RedisDecoder"),
  roofScan("byte scan"),
  roofCopy("memcpy");

  final String label;

  Kind(String label) {
    this.label = label;
  }

  /** False where the contender cannot read the input (Netty and RESP3) or the roof is not this one. */
  boolean runsOn(Scenario s, Input in) {
    return switch (this) {
      case nettyRaw -> in.nettyCanRead();
      case roofScan -> s.roof == Roof.SCAN;
      case roofCopy -> s.roof == Roof.COPY;
      default -> true;
    };
  }

  boolean isRoofline() {
    return this == roofScan || this == roofCopy;
  }

  /** The bytes this contender decodes: Netty gets the RESP2 twin. */
  byte[] wire(Input in) {
    return this == nettyRaw ? in.resp2Twin() : in.wire();
  }

  /** @param check build the variant that counts everything it decodes (slower) */
  Contender create(Feed feed, boolean check) {
    return switch (this) {
      case oursEvents -> new OursEvents(feed);
      case lettuceNoop -> new LettuceNoop(feed);
      case oursTree -> new OursTree(feed, check);
      case lettuceTree -> new LettuceTree(feed, check);
      case nettyRaw -> new NettyRaw(feed, check);
      case roofScan -> new Rooflines.Scan(feed);
      case roofCopy -> new Rooflines.Copy(feed);
    };
  }

  /**
   * The tally this contender must report for one pass over the input: the expected one, less what
   * it cannot see (Lettuce swallows +QUEUED; ArrayOutput hides whether a reply was an aggregate).
   */
  Tally expected(Input in) {
    Tally t = in.expected();
    return switch (this) {
      case lettuceNoop -> t.minus(in.lettuceSwallows());
      case lettuceTree -> {
        Tally seen = t.minus(in.lettuceSwallows());
        yield new Tally(seen.replies(), Tally.UNKNOWN, seen.leaves(), seen.payloadBytes());
      }
      default -> t;
    };
  }
}
