package dev.vigil.resp3.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;

/**
 * One contender on one scenario: ns per input, its 99.9% error, and bytes allocated per input
 * (NaN without the gc profiler).
 */
record Measured(double nanos, double error, double allocBytes) {
  static Measured of(BenchmarkResult r) {
    Result<?> primary = r.getPrimaryResult();
    Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    return new Measured(
        primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore());
  }
}
