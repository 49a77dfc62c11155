package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * The jar's entry point: checks every contender against every selected scenario, runs the JMH
 * benchmarks (one JMH run per contender, over just the scenarios it can read), and prints the
 * comparison table. Exits 1 if a check or a benchmark failed, 2 on a bad command line.
 */
public final class BenchReport {
  private BenchReport() {}

  public static void main(String[] args) throws Exception {
    ReportOptions opts;
    try {
      opts = ReportOptions.parse(args);
    } catch (CommandLineOptionException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ReportOptions.USAGE);
      System.exit(2);
      return;
    }
    if (opts.help) {
      System.out.println(ReportOptions.USAGE);
      return;
    }
    if (opts.jmh) {
      org.openjdk.jmh.Main.main(opts.jmhArgs);
      return;
    }
    System.exit(run(opts) ? 0 : 1);
  }

  private static boolean run(ReportOptions opts) throws RunnerException {
    Map<Scenario, Input> inputs = new LinkedHashMap<>();
    for (Scenario s : opts.scenarios) {
      inputs.put(s, s.input());
    }
    Map<Kind, List<Scenario>> plan = plan(opts, inputs);
    int total = plan.values().stream().mapToInt(List::size).sum();
    if (total == 0) {
      System.err.println("nothing to run: no contender can read the selected scenarios");
      return false;
    }
    if (!crossCheck(plan, inputs)) {
      return false;
    }
    System.out.printf(
        "Running %d benchmark(s) (%s): about %d min%n",
        total, opts.settings(), Math.max(1, Math.round(total * opts.secondsPerBenchmark() / 60)));
    CompactOutput progress = new CompactOutput(System.out, total);
    List<RunResult> all = new ArrayList<>();
    for (Map.Entry<Kind, List<Scenario>> e : plan.entrySet()) {
      all.addAll(new Runner(opts.forRun(e.getKey(), e.getValue()), progress).run());
    }
    Map<Kind, Map<Scenario, Measured>> results = new EnumMap<>(Kind.class);
    for (RunResult r : all) {
      String method = r.getParams().getBenchmark();
      Kind kind = Kind.valueOf(method.substring(method.lastIndexOf('.') + 1));
      Scenario s = Scenario.valueOf(r.getParams().getParam("scenario"));
      results.computeIfAbsent(kind, k -> new EnumMap<>(Scenario.class))
          .put(s, Measured.of(r.getAggregatedResult()));
    }
    new ReportTable(opts.scenarios, inputs, results).print(System.out, opts.settings());
    String file = opts.resultFile();
    if (file != null) {
      ResultFormatFactory.getInstance(opts.resultFormat(), file).writeOut(all);
      System.out.println("\nAll results written to " + file);
    }
    if (all.size() != total) {
      System.err.printf("%n%d of %d benchmarks failed (see FAILED above)%n", total - all.size(), total);
      return false;
    }
    return true;
  }

  /** Per contender, the selected scenarios it can read. */
  private static Map<Kind, List<Scenario>> plan(ReportOptions opts, Map<Scenario, Input> inputs) {
    Map<Kind, List<Scenario>> plan = new EnumMap<>(Kind.class);
    for (Kind k : opts.kinds) {
      List<Scenario> list = new ArrayList<>();
      for (Scenario s : opts.scenarios) {
        if (k.runsOn(s, inputs.get(s))) {
          list.add(s);
        }
      }
      if (!list.isEmpty()) {
        plan.put(k, list);
      }
    }
    return plan;
  }

  /**
   * Every planned contender against every scenario in this JVM, before minutes are spent: each
   * fork checks its own contender again at setup, but a mismatch is cheaper to learn here.
   */
  private static boolean crossCheck(Map<Kind, List<Scenario>> plan, Map<Scenario, Input> inputs) {
    int checked = 0;
    for (Map.Entry<Kind, List<Scenario>> e : plan.entrySet()) {
      for (Scenario s : e.getValue()) {
        try {
          SanityCheck.verify(e.getKey(), s, inputs.get(s));
        } catch (RuntimeException ex) {
          System.err.println("sanity check failed: " + ex.getMessage());
          return false;
        }
        checked += e.getKey().isRoofline() ? 0 : 1;
      }
    }
    System.out.printf(
        "Sanity check: %d contender/scenario pairs report the expected replies, aggregates,"
            + " leaves and payload bytes%n",
        checked);
    return true;
  }
}
