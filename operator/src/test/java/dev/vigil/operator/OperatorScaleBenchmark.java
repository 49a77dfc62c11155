package dev.vigil.operator;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
import dev.vigil.operator.reconcile.FakeMasters;
import dev.vigil.operator.reconcile.FakeStatefulSetController;
import dev.vigil.operator.reconcile.RecordingCommands;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Many ValkeyClusters against fabric8's mock API server (CRUD mode) with stand-in daemons that
 * agree at once: time to first converge them all, API requests per resync, heap and RSS, and the
 * write Service's move after a master change while every other cluster is being reconciled.
 * Not a test: {@code bin/bench-operator [CLUSTERS [WORKERS [SWITCHES]]]}; figures in the README.
 */
public final class OperatorScaleBenchmark {
  private static final String NS = "bench";
  /** Requests the benchmark itself makes carry this header and are not counted. */
  private static final String MINE = "X-Bench";

  private static final AtomicLong reads = new AtomicLong();
  private static final AtomicLong writes = new AtomicLong();
  private static final AtomicBoolean draining = new AtomicBoolean(true);

  private OperatorScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int switches = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    quiet.setLevel(java.util.logging.Level.WARNING);

    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(Collections.emptyList()), false);
    server.init();
    Thread drainer = new Thread(() -> drain(server), "count-requests");
    drainer.setDaemon(true);
    drainer.start();
    java.util.concurrent.atomic.AtomicReference<KubernetesClient> operatorClient =
        new java.util.concurrent.atomic.AtomicReference<>(server.createClient());
    KubernetesClient bench = new KubernetesClientBuilder().withConfig(new ConfigBuilder(operatorClient.get().getConfiguration())
        .withCustomHeaders(Map.of(MINE, "1")).build()).build();

    OperatorConfig config = OperatorConfig.from(Map.of("VIGIL_OPERATOR_METRICS_PORT", "0",
        "VIGIL_OPERATOR_LEADER_ELECTION", "false", "VIGIL_OPERATOR_RESYNC", "20s",
        "VIGIL_OPERATOR_WORKERS", Integer.toString(workers)));
    // Stand-in daemons: in every cluster they agree on pod 0 (10.7.0.10) until told otherwise.
    FakeMasters masters = new FakeMasters().everyone(new HostPort("10.7.0.10", 6379));
    java.util.concurrent.atomic.AtomicReference<Operator> running = new java.util.concurrent.atomic.AtomicReference<>(
        new Operator(operatorClient.get(), config, new CreateOrReplaceApplier(operatorClient.get()),
            Endpoints.POD_IPS, (loops, listener, resync) -> masters.listener(listener), resp -> new RecordingCommands()));
    running.get().run();

    long t0 = System.nanoTime();
    for (int i = 0; i < clusters; i++) {
      ValkeyCluster c = new ValkeyCluster();
      c.setMetadata(new ObjectMetaBuilder().withName(name(i)).withNamespace(NS).build());
      bench.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    }
    await(Duration.ofMinutes(10), () -> bench.resources(ValkeyCluster.class).inNamespace(NS).list().getItems()
        .stream().filter(c -> c.getStatus() != null && c.getStatus().observedGeneration != null).count() == clusters);
    double objectsSeconds = (System.nanoTime() - t0) / 1e9;
    // What the StatefulSet controller and kubelets would do: the pods, running and ready.
    long t1 = System.nanoTime();
    new FakeStatefulSetController(bench, i -> "10.7.0." + (10 + i)).sync(NS);
    await(Duration.ofMinutes(10), () -> bench.resources(ValkeyCluster.class).inNamespace(NS).list().getItems()
        .stream().filter(c -> c.getStatus() != null && "Ready".equals(c.getStatus().phase)).count() == clusters);
    double readySeconds = (System.nanoTime() - t1) / 1e9;
    long convergeReads = reads.get();
    long convergeWrites = writes.get();

    // One full resync: every cluster reconciled again from the caches.
    Thread.sleep(2_000);
    double r0 = reconciles(running.get());
    long reads0 = reads.get();
    long writes0 = writes.get();
    await(Duration.ofMinutes(2), () -> reconciles(running.get()) >= r0 + clusters);
    double resynced = reconciles(running.get()) - r0;
    long resyncReads = reads.get() - reads0;
    long resyncWrites = writes.get() - writes0;

    // The write Service's move after a master change while every other cluster is reconciled.
    Map<String, String> expected = new ConcurrentHashMap<>();
    Map<String, Long> seenAt = new ConcurrentHashMap<>();
    SharedIndexInformer<Service> services = bench.services().inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {}

      @Override
      public void onUpdate(Service before, Service after) {
        String want = expected.get(after.getMetadata().getName());
        if (want != null && want.equals(after.getSpec().getSelector().get(Labels.POD_NAME))) {
          seenAt.putIfAbsent(after.getMetadata().getName(), System.nanoTime());
        }
      }

      @Override
      public void onDelete(Service s, boolean unknown) {}
    });
    AtomicBoolean storm = new AtomicBoolean(true);
    AtomicLong edits = new AtomicLong();
    Thread stormer = new Thread(() -> {
      for (int i = 1; storm.get(); i = i % (clusters - 1) + 1) {
        int n = i;
        try {
          bench.resources(ValkeyCluster.class).inNamespace(NS).withName(name(n)).edit(c -> {
            c.getSpec().config.put("maxmemory-policy", c.getSpec().config.containsKey("maxmemory-policy")
                && c.getSpec().config.get("maxmemory-policy").equals("allkeys-lru") ? "noeviction" : "allkeys-lru");
            return c;
          });
          edits.incrementAndGet();
        } catch (RuntimeException conflict) {
          // the operator wrote the status meanwhile: the next edit goes on
        }
      }
    }, "storm");
    stormer.setDaemon(true);
    stormer.start();
    await(Duration.ofMinutes(1), () -> edits.get() >= 50);
    List<Double> latencies = new ArrayList<>();
    for (int k = 0; k < switches; k++) {
      String service = name(0);
      int pod = (k + 1) % 3;
      expected.put(service, service + "-" + pod);
      seenAt.remove(service);
      long start = System.nanoTime();
      masters.elect(NS + "/" + service, new HostPort("10.7.0." + (10 + pod), 6379));
      await(Duration.ofSeconds(30), () -> seenAt.containsKey(service));
      latencies.add((seenAt.get(service) - start) / 1e6);
    }
    storm.set(false);
    stormer.join();
    double reconcilesDuringSwitches = reconciles(running.get());
    services.close();

    System.gc();
    Thread.sleep(500);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heapWithOperator = rt.totalMemory() - rt.freeMemory();
    long rss = rssBytes();
    running.getAndSet(null).close();
    operatorClient.getAndSet(null).close();
    masters.listener((k, m) -> { }); // nothing the operator held (caches, queue, ledger) is reachable now
    System.gc();
    Thread.sleep(500);
    System.gc();
    long heapWithout = rt.totalMemory() - rt.freeMemory();

    Collections.sort(latencies);
    System.out.printf("%n%d ValkeyClusters, %d workers, mock API server (CRUD) in the same JVM%n", clusters, workers);
    System.out.printf("| figure | value |%n|---|---|%n");
    System.out.printf("| every cluster's objects created and status written | %.1f s |%n", objectsSeconds);
    System.out.printf("| then every cluster Ready, from when its pods start to be made | %.1f s |%n", readySeconds);
    System.out.printf("| API requests to converge (reads / writes, watches not counted) | %d / %d |%n",
        convergeReads, convergeWrites);
    System.out.printf("| API requests during a resync of all %d (%.0f reconciles): reads / writes | %d / %d |%n",
        clusters, resynced, resyncReads, resyncWrites);
    System.out.printf("| write Service move after a master change, under load (%d moves, %d spec edits): p50 / p99 / max"
        + " | %.1f / %.1f / %.1f ms |%n", switches, edits.get(), percentile(latencies, 50), percentile(latencies, 99),
        latencies.get(latencies.size() - 1));
    System.out.printf("| heap after GC: JVM with the operator / without it (the operator's share) | %d / %d MiB (%d MiB) |%n",
        heapWithOperator >> 20, heapWithout >> 20, (heapWithOperator - heapWithout) >> 20);
    System.out.printf("| RSS of the JVM (operator + mock API server + the benchmark) | %d MiB |%n", rss >> 20);
    System.out.printf("(reconciles in all: %.0f)%n", reconcilesDuringSwitches);
    draining.set(false);
    bench.close();
    server.destroy();
    System.exit(0);
  }

  private static String name(int i) {
    return "c" + i;
  }

  private static double reconciles(Operator op) {
    return op.metrics().reconciles.labelValues("ok").get();
  }

  private static double percentile(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static void drain(KubernetesMockServer server) {
    while (draining.get()) {
      try {
        RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
        if (r == null || r.getHeader(MINE) != null || r.getPath().contains("watch=true")) {
          continue;
        }
        (r.getMethod().equals("GET") ? reads : writes).incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  private static void await(Duration max, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not reached within " + max);
      }
      Thread.sleep(5);
    }
  }
}
