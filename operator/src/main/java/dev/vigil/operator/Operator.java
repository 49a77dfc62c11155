package dev.vigil.operator;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.http.OperatorHttp;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.MasterTracker;
import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.Applier;
import dev.vigil.operator.reconcile.ClusterReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: informers on ValkeyClusters and everything they own feed one work queue
 * (one reconcile at a time, keys de-duplicated, failures retried with back-off); the master
 * tracker moves write Services the moment the daemons agree on a new master. With leader
 * election, only the Lease holder does any of it; losing the Lease stops the process (Kubernetes
 * restarts it as a standby), so two operators never act at once.
 */
public final class Operator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operator.class);
  private static final long RETRY_MS = 5_000;

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final ScheduledExecutorService queue = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "reconcile");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, ValkeyCluster> lastSeen = new ConcurrentHashMap<>();
  private final MasterTracker tracker;
  private final ClusterReconciler reconciler;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private OperatorHttp http;
  private volatile boolean started;
  private volatile Runnable onLostLeadership = () -> {
    log.error("lost the leader Lease: exiting so that only one operator acts");
    System.exit(1);
  };

  public Operator(KubernetesClient client, OperatorConfig config, Applier applier, Endpoints endpoints) {
    this(client, config, applier, endpoints, MasterTracker::new);
  }

  /** How the operator's master tracker is made (tests stand in for daemons that cannot run). */
  @FunctionalInterface
  public interface TrackerFactory {
    MasterTracker create(EventLoopGroup loops, BiConsumer<String, HostPort> listener, Duration resync);
  }

  public Operator(KubernetesClient client, OperatorConfig config, Applier applier, Endpoints endpoints,
      TrackerFactory trackers) {
    this.client = client;
    this.config = config;
    this.tracker = trackers.create(loops, this::masterElected, Duration.ofSeconds(10));
    this.reconciler = new ClusterReconciler(client, applier, tracker, endpoints, config.daemonImage(),
        AuthSecretModel.RANDOM, Clock.systemUTC());
  }

  /** For tests: what to do instead of exiting when the Lease is lost. */
  void onLostLeadership(Runnable r) {
    this.onLostLeadership = r;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public int httpPort() {
    return http == null ? 0 : http.port();
  }

  /** Serves /healthz, /readyz, /metrics, then leads (or waits to) and controls. Blocks in leader election. */
  public void run() throws InterruptedException {
    http = new OperatorHttp(() -> started || config.leaderElection(), metrics::scrape)
        .start(loops, config.metricsPort());
    log.info("vigil operator {} serving /metrics on port {}; namespaces: {}", config.identity(),
        http.port(), config.namespaces().isEmpty() ? "all" : config.namespaces());
    if (!config.leaderElection()) {
      startControlling();
      return;
    }
    client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(config.leaseName())
        .withLock(new LeaseLock(config.leaseNamespace(), config.leaseName(), config.identity()))
        .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
        .withRetryPeriod(Duration.ofSeconds(2)).withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startControlling, () -> {
          metrics.leader.set(0);
          onLostLeadership.run();
        }, leader -> log.info("leader is now {}", leader)))
        .build()).build().run();
  }

  /** Starts informers and the work queue (on becoming leader). */
  public synchronized void startControlling() {
    if (started) {
      return;
    }
    log.info("{} leads: starting to reconcile", config.identity());
    metrics.leader.set(1);
    long resync = config.resync().toMillis();
    informers.add(clusters().inform(new ResourceEventHandler<ValkeyCluster>() {
      @Override
      public void onAdd(ValkeyCluster c) {
        lastSeen.put(ClusterReconciler.key(c), c);
        enqueue(ClusterReconciler.key(c));
      }

      @Override
      public void onUpdate(ValkeyCluster before, ValkeyCluster after) {
        lastSeen.put(ClusterReconciler.key(after), after);
        enqueue(ClusterReconciler.key(after));
      }

      @Override
      public void onDelete(ValkeyCluster c, boolean unknownFinalState) {
        enqueue(ClusterReconciler.key(c));
      }
    }, resync));
    for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class, Service.class, ConfigMap.class,
        Secret.class, PodDisruptionBudget.class, Deployment.class, Pod.class)) {
      informers.add(owned(kind));
    }
    started = true;
  }

  private MixedOperation<ValkeyCluster, ?, ?> clustersOp() {
    return client.resources(ValkeyCluster.class);
  }

  private io.fabric8.kubernetes.client.dsl.Informable<ValkeyCluster> clusters() {
    return config.namespaces().size() == 1 ? clustersOp().inNamespace(config.namespaces().get(0))
        : clustersOp().inAnyNamespace();
  }

  /** Changes to what a cluster owns (or its pods) reconcile that cluster: drift is repaired. */
  private <T extends HasMetadata> SharedIndexInformer<T> owned(Class<T> kind) {
    var op = client.resources(kind);
    var filtered = config.namespaces().size() == 1
        ? op.inNamespace(config.namespaces().get(0)).withLabel(Labels.NAME, "valkey")
        : op.inAnyNamespace().withLabel(Labels.NAME, "valkey");
    return filtered.inform(new ResourceEventHandler<T>() {
      private void touch(T o) {
        String instance = o.getMetadata().getLabels() == null ? null
            : o.getMetadata().getLabels().get(Labels.INSTANCE);
        if (instance != null) {
          enqueue(o.getMetadata().getNamespace() + "/" + instance);
        }
      }

      @Override
      public void onAdd(T o) {
        touch(o);
      }

      @Override
      public void onUpdate(T before, T after) {
        touch(after);
      }

      @Override
      public void onDelete(T o, boolean unknownFinalState) {
        touch(o);
      }
    }, 0);
  }

  private boolean watched(String namespace) {
    return config.namespaces().isEmpty() || config.namespaces().contains(namespace);
  }

  void enqueue(String key) {
    if (pending.add(key)) {
      queue.execute(() -> work(key));
    }
  }

  private void work(String key) {
    pending.remove(key);
    String[] nsName = key.split("/", 2);
    if (!watched(nsName[0])) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      ValkeyCluster c = clustersOp().inNamespace(nsName[0]).withName(nsName[1]).get();
      if (c == null) {
        ValkeyCluster last = lastSeen.remove(key);
        if (last != null) {
          reconciler.deleted(last);
        }
        tracker.forget(key);
      } else {
        reconciler.reconcile(c);
      }
      metrics.reconciles.labelValues("ok").inc();
    } catch (RuntimeException e) {
      metrics.reconciles.labelValues("error").inc();
      log.warn("reconcile of {} failed, retrying in {} ms: {}", key, RETRY_MS, e.toString());
      queue.schedule(() -> enqueue(key), RETRY_MS, TimeUnit.MILLISECONDS);
    } finally {
      metrics.reconcileSeconds.observe((System.nanoTime() - t0) / 1e9);
      metrics.clusters.set(lastSeen.size());
    }
  }

  /** The daemons agreed on a new master: move the Service first, then a full reconcile. */
  private void masterElected(String key, dev.vigil.operator.master.HostPort master) {
    queue.execute(() -> {
      String[] nsName = key.split("/", 2);
      ValkeyCluster c = clustersOp().inNamespace(nsName[0]).withName(nsName[1]).get();
      if (c != null) {
        try {
          reconciler.masterElected(c, master);
          metrics.masterChanges.inc();
        } catch (RuntimeException e) {
          log.warn("{}: cannot move the write Service to {}: {}", key, master, e.toString());
        }
      }
      enqueue(key);
    });
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    queue.shutdownNow();
    tracker.close();
    if (http != null) {
      http.close();
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
