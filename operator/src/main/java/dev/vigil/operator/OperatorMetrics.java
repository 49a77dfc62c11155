package dev.vigil.operator;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The operator's Prometheus metrics. */
public final class OperatorMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter reconciles = Counter.builder().name("vigil_operator_reconciles_total")
      .help("Reconciles of ValkeyClusters, by result").labelNames("result").register(registry);
  final Histogram reconcileSeconds = Histogram.builder().name("vigil_operator_reconcile_seconds")
      .help("Time one reconcile takes").register(registry);
  final Counter masterChanges = Counter.builder().name("vigil_operator_master_changes_total")
      .help("Masters the daemons elected that moved a write Service").register(registry);
  final Gauge leader = Gauge.builder().name("vigil_operator_leader")
      .help("1 while this replica holds the leader Lease").register(registry);
  final Gauge clusters = Gauge.builder().name("vigil_operator_clusters")
      .help("ValkeyClusters watched").register(registry);

  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
