package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One operation = decoding a scenario's whole input once. Each method is one contender ({@link
 * Kind}); the fork builds only that contender, so no other decoder's classes pollute the JIT's type
 * profiles, and checks it against the scenario's expected tally first (setup fails if it differs).
 *
 * <p>A contender that cannot read the scenario (Netty and a RESP3-only input; the roofline that
 * does not apply) returns at once: the report never runs those and shows n/a.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeBenchmark {
  @Param({
    "lettuceOwn", "pong1000", "masters3", "masters2", "info4k", "push100",
    "bulk1m_frag1k", "bulk1m_frag16k", "bulk1m_frag64k"
  })
  public String scenario;

  private Feed feed;
  private Contender contender;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String method = params.getBenchmark();
    Kind kind = Kind.valueOf(method.substring(method.lastIndexOf('.') + 1));
    Scenario s = Scenario.valueOf(scenario);
    Input in = s.input();
    if (!kind.runsOn(s, in)) {
      return;
    }
    SanityCheck.verify(kind, s, in);
    feed = new Feed(kind.wire(in), s.fragmentSize);
    contender = kind.create(feed, false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (contender != null) {
      contender.close();
      feed.close();
    }
  }

  @Benchmark
  public long oursEvents() {
    return run();
  }

  @Benchmark
  public long lettuceNoop() {
    return run();
  }

  @Benchmark
  public long oursTree() {
    return run();
  }

  @Benchmark
  public long lettuceTree() {
    return run();
  }

  @Benchmark
  public long nettyRaw() {
    return run();
  }

  @Benchmark
  public long roofScan() {
    return run();
  }

  @Benchmark
  public long roofCopy() {
    return run();
  }

  private long run() {
    return contender == null ? 0 : contender.decodeAll();
  }
}
