package dev.vigil.resp3.bench;

import java.util.List;
import java.util.function.Supplier;

/**
 * The inputs every contender decodes. Names are the JMH {@code scenario} parameter values.
 *
 * <p>Netty's codec-redis reads RESP2 only: a RESP3 scenario either has a RESP2 twin with the same
 * replies, elements and payload bytes (Netty decodes that one), or Netty is n/a.
 */
enum Scenario {
  /** Lettuce's own RedisStateMachineBenchmark input, to line up with its published numbers. */
  lettuceOwn(Roof.SCAN, 0, Fixtures::lettuceOwn),
  pong1000(Roof.SCAN, 0, Fixtures::pong1000),
  masters3(Roof.SCAN, 0, () -> Fixtures.masters(true)),
  masters2(Roof.SCAN, 0, () -> Fixtures.masters(false)),
  info4k(Roof.COPY, 0, Fixtures::info4k),
  push100(Roof.SCAN, 0, Fixtures::push100),
  bulk1m_frag1k(Roof.COPY, 1024, Fixtures::bulk1m),
  bulk1m_frag16k(Roof.COPY, 16 * 1024, Fixtures::bulk1m),
  bulk1m_frag64k(Roof.COPY, 64 * 1024, Fixtures::bulk1m);

  /**
   * The floor to compare with: a byte scan where elements are short lines; a memcpy where a payload
   * dominates, since no correct parser scans a payload (a zero-copy one does not even touch it).
   */
  enum Roof {
    SCAN,
    COPY
  }

  /** A scenario's bytes and what decoding them must yield. */
  record Input(byte[] wire, Tally expected, byte[] resp2Twin, Tally lettuceSwallows) {
    boolean nettyCanRead() {
      return resp2Twin != null;
    }
  }

  final Roof roof;
  /** Bytes per buffer handed to the decoder; 0 = the whole input in one buffer. */
  final int fragmentSize;
  private final Supplier<Input> fixture;

  Scenario(Roof roof, int fragmentSize, Supplier<Input> fixture) {
    this.roof = roof;
    this.fragmentSize = fragmentSize;
    this.fixture = fixture;
  }

  /**
   * What the report runs by default: one scenario per shape (status lines, a Sentinel map, a
   * verbatim payload, pushes, a fragmented large bulk), so the run stays within a few minutes.
   */
  static List<Scenario> quickSet() {
    return List.of(lettuceOwn, pong1000, masters3, info4k, push100, bulk1m_frag1k);
  }

  Input input() {
    return fixture.get();
  }
}
