package dev.vigil.resp3.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * One progress line per benchmark instead of JMH's full log. JMH's own text for a benchmark is
 * kept and printed only if that benchmark fails, so a failed sanity check shows its reason.
 */
final class CompactOutput implements OutputFormat {
  private final PrintStream out;
  private final int total;
  private final StringBuilder log = new StringBuilder();
  private int index;
  private boolean open;

  CompactOutput(PrintStream out, int total) {
    this.out = out;
    this.total = total;
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    finishFailed();
    index++;
    open = true;
    log.setLength(0);
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    out.printf("[%2d/%d] %-12s %-15s ", index, total, method, params.getParam("scenario"));
    out.flush();
  }

  @Override
  public void iteration(BenchmarkParams params, IterationParams iteration, int n) {}

  @Override
  public void iterationResult(
      BenchmarkParams params, IterationParams iteration, int n, IterationResult result) {
    out.print('.');
    out.flush();
  }

  @Override
  public void endBenchmark(BenchmarkResult result) {
    if (result == null || result.getPrimaryResult() == null) {
      finishFailed();
      return;
    }
    open = false;
    Measured m = Measured.of(result);
    out.printf(" %s ± %s ns/op", ReportTable.nanos(m.nanos()), ReportTable.nanos(m.error()));
    if (!Double.isNaN(m.allocBytes())) {
      out.printf("  %s B/op", ReportTable.bytes(m.allocBytes()));
    }
    out.println();
  }

  private void finishFailed() {
    if (open) {
      open = false;
      out.println(" FAILED");
      out.print(log);
      out.println();
    }
  }

  @Override
  public void startRun() {}

  @Override
  public void endRun(Collection<RunResult> result) {
    finishFailed();
  }

  @Override
  public void print(String s) {
    log.append(s);
  }

  @Override
  public void println(String s) {
    log.append(s).append('\n');
  }

  @Override
  public void verbosePrintln(String s) {
    log.append(s).append('\n');
  }

  @Override
  public void write(int b) {
    log.append((char) b);
  }

  @Override
  public void write(byte[] b) {
    log.append(new String(b, StandardCharsets.UTF_8));
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    out.flush();
  }
}
