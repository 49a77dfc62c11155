package dev.vigil.e2e;

/**
 * The soak's running totals, its last line and its exit code. {@code spuriousWhileStalled}: the
 * spurious failovers of runs where the harness itself stalled (counted in {@code spurious} all the
 * same; the soak says how many).
 */
record SoakTotals(int runs, int failovers, int spurious, int failed, long lost, long lostWithoutWait,
    int spuriousWhileStalled) {
  static final SoakTotals NONE = new SoakTotals(0, 0, 0, 0, 0, 0, 0);

  SoakTotals plus(SoakVerdict v) {
    return plus(v, false);
  }

  SoakTotals plus(SoakVerdict v, boolean harnessStalled) {
    return new SoakTotals(runs + 1, failovers + v.failovers(), spurious + v.spurious(),
        failed + (v.failed() ? 1 : 0), lost + v.lostWithWait(), lostWithoutWait + v.lostWithoutWait(),
        spuriousWhileStalled + (harnessStalled ? v.spurious() : 0));
  }

  /** The last line of the output, in the form issue 17 fixes. */
  String line() {
    return String.format("soak: %d runs, %d failovers, %d spurious, %d failed, %d acked writes lost",
        runs, failovers, spurious, failed, lost);
  }

  int exitCode() {
    return spurious == 0 && failed == 0 && lost == 0 ? 0 : 1;
  }
}
