package dev.vigil.sentinel.http;

import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Prometheus metrics read from the groups' current states at scrape time (callbacks, so nothing
 * is updated on the hot path): per node link state, last ping reply age and SDOWN; per group the
 * known replicas and peers and the config epoch; the daemon's current epoch.
 */
final class DaemonMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  DaemonMetrics(DaemonStatus d) {
    nodeGauge(d, "vigil_node_link_up", "1 while the connection to the node or peer is up",
        (n, now) -> n.connected() ? 1 : 0);
    nodeGauge(d, "vigil_node_last_ok_ping_reply_seconds",
        "Seconds since the node last answered PING acceptably",
        (n, now) -> (now - n.lastOkReplyAt()) / 1000.0);
    GaugeWithCallback.builder().name("vigil_node_sdown")
        .help("1 while the node or peer is subjectively down")
        .labelNames("master", "role", "address")
        .callback(cb -> forEachInstance(d, (g, inst) -> cb.call(inst.sdown ? 1 : 0, g.name(),
            inst.role, inst.address)))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_known_replicas").help("Replicas known per group")
        .labelNames("master")
        .callback(cb -> d.groups().forEach(g -> cb.call(g.replicas().size(), g.name())))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_known_sentinels")
        .help("Other daemons known per group (the voter set is this plus one)")
        .labelNames("master")
        .callback(cb -> d.groups().forEach(g -> cb.call(g.peers().size(), g.name())))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_config_epoch")
        .help("Config epoch of the group's current master").labelNames("master")
        .callback(cb -> d.groups().forEach(g -> cb.call(g.configEpoch(), g.name())))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_current_epoch").help("The daemon's current epoch")
        .callback(cb -> cb.call(d.currentEpoch()))
        .register(registry);
  }

  private record Instance(String role, String address, Link link, boolean sdown) {}

  private static void forEachInstance(DaemonStatus d, BiConsumer<GroupState, Instance> f) {
    for (GroupState g : d.groups()) {
      List<Instance> all = new ArrayList<>();
      NodeState m = g.master();
      all.add(new Instance("master", m.address().toString(), m.link(), m.sdown()));
      g.replicas().values().forEach(r ->
          all.add(new Instance("replica", r.address().toString(), r.link(), r.sdown())));
      for (PeerState p : g.peers().values()) {
        all.add(new Instance("sentinel", p.address().toString(), p.link(), p.sdown()));
      }
      all.forEach(i -> f.accept(g, i));
    }
  }

  private interface LinkValue {
    double of(Link link, long now);
  }

  private void nodeGauge(DaemonStatus d, String name, String help, LinkValue value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("master", "role", "address")
        .callback(cb -> {
          long now = d.clock().millis();
          forEachInstance(d, (g, i) -> cb.call(value.of(i.link, now), g.name(), i.role, i.address));
        })
        .register(registry);
  }

  String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
