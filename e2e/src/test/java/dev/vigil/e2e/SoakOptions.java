package dev.vigil.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/soak}'s arguments: {@code --runs N [--minutes T] [--down-after MS]
 * [--fault kill|stop|partition|all] [--cpu-stress] [--gc-pressure] [--watcher vigil|redis-sentinel]
 * [--seed S]}. With {@code --minutes} alone the soak runs until the time is up; with both, until
 * either limit. {@code --cpu-stress} is the script's (it starts the hog); here it only labels the
 * output.
 */
record SoakOptions(int runs, long minutes, long downAfterMs, List<String> faults, boolean cpuStress,
    boolean gcPressure, WatcherKind watcher, long seed) {
  static final List<String> FAULTS = List.of("kill", "stop", "partition");

  static SoakOptions parse(String... argv) {
    int runs = -1;
    long minutes = -1;
    long downAfter = 1_000;
    String fault = "all";
    boolean cpu = false;
    boolean gc = false;
    String watcher = "vigil";
    long seed = System.nanoTime();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      switch (a) {
        case "--runs" -> runs = Integer.parseInt(value(argv, ++i, a));
        case "--minutes" -> minutes = Long.parseLong(value(argv, ++i, a));
        case "--down-after" -> downAfter = Long.parseLong(value(argv, ++i, a));
        case "--fault" -> fault = value(argv, ++i, a);
        case "--watcher" -> watcher = value(argv, ++i, a);
        case "--seed" -> seed = Long.parseLong(value(argv, ++i, a));
        case "--cpu-stress" -> cpu = true;
        case "--gc-pressure" -> gc = true;
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (runs < 0 && minutes < 0) {
      throw new IllegalArgumentException("give --runs N and/or --minutes T");
    }
    List<String> faults = fault.equals("all") ? FAULTS : List.of(fault);
    if (!FAULTS.containsAll(faults)) {
      throw new IllegalArgumentException("--fault is kill, stop, partition or all, not " + fault);
    }
    WatcherKind kind = switch (watcher) {
      case "vigil" -> gc ? WatcherKind.vigil(WatcherKind.GC_PRESSURE_JAVA_OPTS) : WatcherKind.VIGIL;
      case "redis-sentinel" -> {
        if (gc) {
          throw new IllegalArgumentException("--gc-pressure is for Vigil's JVM");
        }
        yield WatcherKind.REDIS_SENTINEL;
      }
      default -> throw new IllegalArgumentException("--watcher is vigil or redis-sentinel");
    };
    return new SoakOptions(runs < 0 ? Integer.MAX_VALUE : runs, minutes, downAfter, faults, cpu,
        gc, kind, seed);
  }

  private static String value(String[] argv, int i, String flag) {
    if (i >= argv.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return argv[i];
  }

  /** The fault of run {@code run} (1-based): the faults in turn. */
  String faultOf(int run) {
    return faults.get((run - 1) % faults.size());
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("watcher " + watcher.name());
    parts.add("down-after " + downAfterMs + " ms");
    parts.add("faults " + String.join(",", faults));
    parts.add("cpu-stress " + (cpuStress ? "on" : "off"));
    if (!watcher.isSentinel()) {
      parts.add("daemon JVM " + watcher.javaOpts());
    }
    parts.add("seed " + seed);
    return String.join(", ", parts);
  }
}
