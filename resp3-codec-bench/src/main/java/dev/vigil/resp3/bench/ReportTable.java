package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Prints the comparison: times with the speed-ups, allocation, then every score with its error. */
final class ReportTable {
  private final List<Scenario> scenarios;
  private final Map<Scenario, Input> inputs;
  private final Map<Kind, Map<Scenario, Measured>> results;

  ReportTable(
      List<Scenario> scenarios,
      Map<Scenario, Input> inputs,
      Map<Kind, Map<Scenario, Measured>> results) {
    this.scenarios = scenarios;
    this.inputs = inputs;
    this.results = results;
  }

  void print(PrintStream out, String settings) {
    out.println();
    out.println("RESP decoding: ns per input (lower is better), " + settings);
    out.println(
        "speed-up = Lettuce (or Netty) time / ours (above 1: ours is faster);"
            + " x roof = ours / roofline (1 = at the floor)");
    out.println();
    out.printf(
        "%-15s %9s | %10s %11s %8s | %10s %11s %11s %8s %8s | %-5s %10s %7s %7s%n",
        "", "", "events", "", "speed-", "trees", "", "", "speed-", "speed-", "roof", "", "events", "trees");
    out.printf(
        "%-15s %9s | %10s %11s %8s | %10s %11s %11s %8s %8s | %-5s %10s %7s %7s%n",
        "scenario", "bytes", "ours", "Lettuce", "up", "ours", "Lettuce", "Netty", "up L", "up N",
        "kind", "ns", "x roof", "x roof");
    out.println("-".repeat(146));
    boolean twinUsed = false;
    for (Scenario s : scenarios) {
      Input in = inputs.get(s);
      Kind roof = s.roof == Scenario.Roof.SCAN ? Kind.roofScan : Kind.roofCopy;
      boolean twin = in.nettyCanRead() && in.resp2Twin() != in.wire();
      twinUsed |= twin && has(Kind.nettyRaw, s);
      out.printf(
          "%-15s %,9d | %10s %11s %8s | %10s %11s %11s %8s %8s | %-5s %10s %7s %7s%n",
          s.name(),
          in.wire().length,
          time(Kind.oursEvents, s),
          time(Kind.lettuceNoop, s),
          ratio(Kind.lettuceNoop, Kind.oursEvents, s),
          time(Kind.oursTree, s),
          time(Kind.lettuceTree, s),
          time(Kind.nettyRaw, s) + (twin && has(Kind.nettyRaw, s) ? "*" : ""),
          ratio(Kind.lettuceTree, Kind.oursTree, s),
          ratio(Kind.nettyRaw, Kind.oursTree, s),
          roof == Kind.roofScan ? "scan" : "copy",
          time(roof, s),
          ratio(Kind.oursEvents, roof, s),
          ratio(Kind.oursTree, roof, s));
    }
    out.println();
    out.println("n/a: not run (Netty's codec-redis reads RESP2 only; the other roofline does not apply)");
    if (twinUsed) {
      out.println(
          "*: Netty decoded the scenario's RESP2 twin ($ for =, *3 for >3): same replies, elements"
              + " and payload bytes");
    }
    out.println(
        "events: ours = RespParser + counting RespSink; Lettuce = RedisStateMachine + counting"
            + " CommandOutput");
    out.println(
        "trees: ours = RespParser + RespValueBuilder (RETAINED_SLICE >= "
            + OursTree.SLICE_THRESHOLD
            + " B, else copied), released; Lettuce = ArrayOutput<byte[]>; Netty = RedisDecoder"
            + " messages, released");
    printAllocation(out);
    printDetails(out);
  }

  private void printAllocation(PrintStream out) {
    if (results.values().stream()
        .flatMap(m -> m.values().stream())
        .allMatch(m -> Double.isNaN(m.allocBytes()))) {
      return;
    }
    Kind[] kinds = {Kind.oursEvents, Kind.lettuceNoop, Kind.oursTree, Kind.lettuceTree, Kind.nettyRaw};
    out.println();
    out.println("Allocation, bytes per input (JMH gc profiler, gc.alloc.rate.norm)");
    out.printf("%-15s", "scenario");
    for (Kind k : kinds) {
      out.printf(" %12s", k.name());
    }
    out.println();
    out.println("-".repeat(15 + 13 * kinds.length));
    for (Scenario s : scenarios) {
      out.printf("%-15s", s.name());
      for (Kind k : kinds) {
        Measured m = get(k, s);
        out.printf(" %12s", m == null || Double.isNaN(m.allocBytes()) ? "n/a" : bytes(m.allocBytes()));
      }
      out.println();
    }
  }

  private void printDetails(PrintStream out) {
    out.println();
    out.println("Every score (ns/op +- 99.9% error):");
    for (Scenario s : scenarios) {
      for (Kind k : Kind.values()) {
        Measured m = get(k, s);
        if (m != null) {
          out.printf(
              "  %-15s %-12s %12s +- %-10s (%.1f%%)%n",
              s.name(), k.name(), nanos(m.nanos()), nanos(m.error()), 100 * m.error() / m.nanos());
        }
      }
    }
  }

  private boolean has(Kind k, Scenario s) {
    return get(k, s) != null;
  }

  private Measured get(Kind k, Scenario s) {
    Map<Scenario, Measured> byScenario = results.get(k);
    return byScenario == null ? null : byScenario.get(s);
  }

  private String time(Kind k, Scenario s) {
    Measured m = get(k, s);
    return m == null ? "n/a" : nanos(m.nanos());
  }

  /** {@code num / den}, e.g. Lettuce's time over ours. */
  private String ratio(Kind num, Kind den, Scenario s) {
    Measured a = get(num, s);
    Measured b = get(den, s);
    return a == null || b == null ? "n/a" : String.format("%.2fx", a.nanos() / b.nanos());
  }

  static String nanos(double ns) {
    if (Double.isNaN(ns)) {
      return "NaN";
    }
    return ns < 100 ? String.format("%.1f", ns) : String.format("%,.0f", ns);
  }

  static String bytes(double b) {
    return b < 0.5 ? "0" : String.format("%,.0f", b);
  }
}
