package dev.vigil.resp3.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The report's command line: its own flags plus the JMH options that make sense for it, parsed by
 * JMH itself. Defaults are sized for a 2-core machine and a run of a few minutes.
 */
final class ReportOptions {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar benchmarks.jar [--all] [--no-gc] [JMH options] [contender regex]",
          "       java -jar benchmarks.jar --jmh [JMH options]    (JMH's own runner and output)",
          "",
          "  --all     every scenario; the default is " + Scenario.quickSet() + ",",
          "            sized to take a few minutes",
          "  --no-gc   skip JMH's gc profiler (no allocation table)",
          "  regex     contenders to run, matched against " + Arrays.toString(Kind.values()),
          "scenarios: " + Arrays.toString(Scenario.values()),
          "JMH options used: -f -wi -w -i -r -to -p scenario=a,b -jvmArgs -jvmArgsAppend -prof -rf -rff",
          "(defaults: -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc; -jvmArgsAppend replaces",
          " '-Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled')");

  final boolean help;
  final boolean jmh;
  final String[] jmhArgs;
  final List<Scenario> scenarios;
  final Set<Kind> kinds;
  final boolean gcProfiler;
  private final CommandLineOptions cmd;

  private ReportOptions(
      boolean help,
      boolean jmh,
      String[] jmhArgs,
      List<Scenario> scenarios,
      Set<Kind> kinds,
      boolean gcProfiler,
      CommandLineOptions cmd) {
    this.help = help;
    this.jmh = jmh;
    this.jmhArgs = jmhArgs;
    this.scenarios = scenarios;
    this.kinds = kinds;
    this.gcProfiler = gcProfiler;
    this.cmd = cmd;
  }

  static ReportOptions parse(String[] args) throws CommandLineOptionException {
    boolean all = false;
    boolean gc = true;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jmh" -> {
          String[] tail = Arrays.copyOfRange(args, i + 1, args.length);
          return new ReportOptions(false, true, tail, List.of(), Set.of(), false, null);
        }
        case "-h", "--help" -> {
          return new ReportOptions(true, false, args, List.of(), Set.of(), false, null);
        }
        case "--all" -> all = true;
        case "--no-gc" -> gc = false;
        default -> rest.add(args[i]);
      }
    }
    CommandLineOptions cmd = new CommandLineOptions(rest.toArray(String[]::new));
    List<Scenario> scenarios = new ArrayList<>();
    if (cmd.getParameter("scenario").hasValue()) {
      for (String name : cmd.getParameter("scenario").get()) {
        scenarios.add(scenario(name));
      }
    } else {
      scenarios.addAll(all ? List.of(Scenario.values()) : Scenario.quickSet());
    }
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (Kind k : Kind.values()) {
      if (cmd.getIncludes().isEmpty()
          || cmd.getIncludes().stream().anyMatch(re -> Pattern.compile(re).matcher(k.name()).find())) {
        kinds.add(k);
      }
    }
    return new ReportOptions(false, false, null, scenarios, kinds, gc, cmd);
  }

  private static Scenario scenario(String name) {
    try {
      return Scenario.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown scenario '" + name + "'; known: " + Arrays.toString(Scenario.values()));
    }
  }

  /** JMH options for one contender over the given scenarios. */
  Options forRun(Kind kind, List<Scenario> runScenarios) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(Pattern.quote(DecodeBenchmark.class.getName() + "." + kind.name()) + "$")
            .param("scenario", runScenarios.stream().map(Enum::name).toArray(String[]::new))
            .forks(cmd.getForkCount().orElse(1))
            .warmupIterations(cmd.getWarmupIterations().orElse(3))
            .warmupTime(cmd.getWarmupTime().orElse(TimeValue.seconds(1)))
            .measurementIterations(cmd.getMeasurementIterations().orElse(5))
            .measurementTime(cmd.getMeasurementTime().orElse(TimeValue.seconds(1)))
            .shouldFailOnError(false);
    if (cmd.getTimeout().hasValue()) {
      b.timeout(cmd.getTimeout().get());
    }
    if (cmd.getJvmArgs().hasValue()) {
      b.jvmArgs(cmd.getJvmArgs().get().toArray(String[]::new));
    }
    if (cmd.getJvmArgsAppend().hasValue()) {
      b.jvmArgsAppend(cmd.getJvmArgsAppend().get().toArray(String[]::new));
    }
    if (gcProfiler) {
      b.addProfiler(GCProfiler.class);
    }
    for (ProfilerConfig p : cmd.getProfilers()) {
      if (!(gcProfiler && p.getKlass().equals("gc"))) {
        b.addProfiler(p.getKlass(), p.getOpts());
      }
    }
    return b.build();
  }

  int forks() {
    return cmd.getForkCount().orElse(1);
  }

  /** Seconds one benchmark takes per fork, JVM start and setup included (roughly). */
  double secondsPerBenchmark() {
    double warm = cmd.getWarmupIterations().orElse(3) * seconds(cmd.getWarmupTime().orElse(null));
    double meas =
        cmd.getMeasurementIterations().orElse(5) * seconds(cmd.getMeasurementTime().orElse(null));
    return Math.max(1, forks()) * (warm + meas + 0.7);
  }

  private static double seconds(TimeValue t) {
    return t == null ? 1 : t.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
  }

  String settings() {
    return String.format(
        "%d fork(s), %d x %s warmup, %d x %s measurement",
        forks(),
        cmd.getWarmupIterations().orElse(3),
        cmd.getWarmupTime().orElse(TimeValue.seconds(1)),
        cmd.getMeasurementIterations().orElse(5),
        cmd.getMeasurementTime().orElse(TimeValue.seconds(1)));
  }

  /** Where to write all results at once (JMH would overwrite the file on every run), or null. */
  String resultFile() {
    if (!cmd.getResult().hasValue() && !cmd.getResultFormat().hasValue()) {
      return null;
    }
    return cmd.getResult().orElse("jmh-result." + resultFormat().toString().toLowerCase());
  }

  ResultFormatType resultFormat() {
    return cmd.getResultFormat().orElse(ResultFormatType.JSON);
  }
}
