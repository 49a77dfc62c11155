package dev.vigil.operator;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.http.OperatorHttp;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.MasterTracker;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.master.RespGroupCommands;
import dev.vigil.operator.master.TlsLinks;
import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.queue.Backoff;
import dev.vigil.operator.queue.WorkQueue;
import dev.vigil.operator.reconcile.Applier;
import dev.vigil.operator.reconcile.BackupReconciler;
import dev.vigil.operator.reconcile.ClusterReconciler;
import dev.vigil.resp3.client.RespClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: informers on ValkeyClusters and everything they own fill the caches that
 * reconciles read and feed a {@link WorkQueue} (keys de-duplicated, a configurable number of
 * workers, failures retried with capped, jittered back-off). Commands to Valkey nodes and daemons
 * run on the RESP client's event loops; their completion enqueues the cluster again. The master
 * tracker moves write Services on a thread of their own the moment the daemons agree on a new
 * master, never behind other clusters' reconciles. With leader election, only the Lease holder
 * does any of it; losing the Lease stops the process (Kubernetes restarts it as a standby), so
 * two operators never act at once.
 */
public final class Operator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operator.class);
  /** Before the caches are filled, a key waits this long. */
  private static final Duration NOT_SYNCED_YET = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final RespClient resp = new RespClient(loops);
  private final ExecutorService masterMoves = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "write-service");
    t.setDaemon(true);
    return t;
  });
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, ValkeyCluster> lastSeen = new ConcurrentHashMap<>();
  private final InformerCache cache;
  private final Masters tracker;
  private final ClusterReconciler reconciler;
  private final WorkQueue queue;
  private final BackupControl backups;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private SharedIndexInformer<ValkeyCluster> clusterInformer;
  private OperatorHttp http;
  private volatile boolean started;
  private volatile Runnable onLostLeadership = () -> {
    log.error("lost the leader Lease: exiting so that only one operator acts");
    System.exit(1);
  };

  public Operator(KubernetesClient client, OperatorConfig config, Applier applier, Endpoints endpoints) {
    this(client, config, applier, endpoints, new TlsLinks());
  }

  /** The tracker and the commands share one view of which links use TLS (the reconciler's). */
  private Operator(KubernetesClient client, OperatorConfig config, Applier applier, Endpoints endpoints,
      TlsLinks tls) {
    this(client, config, applier, endpoints, (loops, listener, resync) -> new MasterTracker(loops, listener,
        resync, tls), resp -> new RespGroupCommands(resp, tls));
  }

  /** How the operator's view of the daemons is made (tests stand in for daemons that cannot run). */
  @FunctionalInterface
  public interface TrackerFactory {
    Masters create(EventLoopGroup loops, BiConsumer<String, HostPort> listener, Duration resync);
  }

  public Operator(KubernetesClient client, OperatorConfig config, Applier applier, Endpoints endpoints,
      TrackerFactory trackers, Function<RespClient, GroupCommands> commands) {
    this.client = client;
    this.config = config;
    this.cache = new InformerCache(client);
    this.tracker = trackers.create(loops, this::masterElected, Duration.ofSeconds(10));
    this.reconciler = new ClusterReconciler(new ClusterReconciler.Parts(client, cache, applier, tracker,
        commands.apply(resp), endpoints, config.daemonImage(), AuthSecretModel.RANDOM, Clock.systemUTC()));
    this.backups = new BackupControl(client, config, cache, new BackupReconciler(client, cache, tracker, endpoints,
        config.backupImage(), Clock.systemUTC()), Clock.systemUTC());
    this.queue = new WorkQueue(config.workers(), Backoff.standard(), this::work);
    reconciler.onCommandDone(queue::add);
    reconciler.backupImage(config.backupImage());
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

  /** Whether this replica leads and its caches are filled. */
  public boolean controlling() {
    return started;
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

  /**
   * Starts the informers (owned objects first, so a cluster's first reconcile finds them cached),
   * then lets the workers go (on becoming leader).
   */
  public synchronized void startControlling() {
    if (started) {
      return;
    }
    log.info("{} leads: starting to reconcile with {} workers", config.identity(), config.workers());
    metrics.leader.set(1);
    for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class, Service.class, ConfigMap.class,
        Secret.class, PodDisruptionBudget.class, Deployment.class, ServiceAccount.class, Pod.class)) {
      owned(kind);
    }
    backups.start(queue::add, informers);
    SharedIndexInformer<ValkeyCluster> clusters = namespaced(client.resources(ValkeyCluster.class))
        .runnableInformer(config.resync().toMillis());
    clusters.addEventHandler(new ResourceEventHandler<ValkeyCluster>() {
      @Override
      public void onAdd(ValkeyCluster c) {
        lastSeen.put(ClusterReconciler.key(c), c);
        queue.add(ClusterReconciler.key(c));
      }

      @Override
      public void onUpdate(ValkeyCluster before, ValkeyCluster after) {
        lastSeen.put(ClusterReconciler.key(after), after);
        queue.add(ClusterReconciler.key(after));
      }

      @Override
      public void onDelete(ValkeyCluster c, boolean unknownFinalState) {
        queue.add(ClusterReconciler.key(c));
      }
    });
    cache.add(ValkeyCluster.class, clusters);
    informers.add(clusters);
    clusterInformer = clusters;
    started = true;
    clusters.run();
  }

  private <T extends HasMetadata> Informable<T> namespaced(
      io.fabric8.kubernetes.client.dsl.MixedOperation<T, ?, ?> op) {
    return config.namespaces().size() == 1 ? op.inNamespace(config.namespaces().get(0)) : op.inAnyNamespace();
  }

  /** Changes to what a cluster owns (or its pods) reconcile that cluster: drift is repaired. */
  private <T extends HasMetadata> void owned(Class<T> kind) {
    var op = client.resources(kind);
    var filtered = config.namespaces().size() == 1
        ? op.inNamespace(config.namespaces().get(0)).withLabel(Labels.NAME, "valkey")
        : op.inAnyNamespace().withLabel(Labels.NAME, "valkey");
    SharedIndexInformer<T> informer = filtered.runnableInformer(0);
    if (kind == Pod.class) {
      @SuppressWarnings("unchecked")
      SharedIndexInformer<Pod> pods = (SharedIndexInformer<Pod>) informer;
      InformerCache.indexPods(pods);
    }
    informer.addEventHandler(new ResourceEventHandler<T>() {
      private void touch(T o) {
        String instance = o.getMetadata().getLabels() == null ? null
            : o.getMetadata().getLabels().get(Labels.INSTANCE);
        if (instance != null) {
          queue.add(o.getMetadata().getNamespace() + "/" + instance);
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
    });
    cache.add(kind, informer);
    informers.add(informer);
    informer.run();
  }

  private boolean watched(String namespace) {
    return config.namespaces().isEmpty() || config.namespaces().contains(namespace);
  }

  private Optional<Duration> work(String key) {
    if (BackupControl.owns(key)) {
      return backups.work(key);
    }
    String[] nsName = key.split("/", 2);
    if (!watched(nsName[0])) {
      return Optional.empty();
    }
    SharedIndexInformer<ValkeyCluster> clusters = clusterInformer;
    if (clusters == null || !clusters.hasSynced()) {
      return Optional.of(NOT_SYNCED_YET);
    }
    long t0 = System.nanoTime();
    try {
      ValkeyCluster c = cache.cluster(nsName[0], nsName[1]);
      Optional<Duration> again = Optional.empty();
      if (c == null) {
        ValkeyCluster last = lastSeen.remove(key);
        if (last != null) {
          reconciler.deleted(last);
        }
        tracker.forget(key);
      } else {
        again = reconciler.reconcile(c);
      }
      metrics.reconciles.labelValues("ok").inc();
      return again;
    } catch (RuntimeException e) {
      metrics.reconciles.labelValues("error").inc();
      throw e;
    } finally {
      metrics.reconcileSeconds.observe((System.nanoTime() - t0) / 1e9);
      metrics.clusters.set(clusters.getStore().list().size());
    }
  }

  /**
   * The daemons agreed on a new master: move the write Service at once, on its own thread, then
   * reconcile the cluster (status, Event) through the queue.
   */
  private void masterElected(String key, HostPort master) {
    masterMoves.execute(() -> {
      try {
        if (reconciler.writeService().move(key, master).isPresent()) {
          metrics.masterChanges.inc();
        }
      } catch (RuntimeException e) {
        log.warn("{}: cannot move the write Service to {}: {}", key, master, e.toString());
      }
      queue.add(key);
    });
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    queue.close();
    masterMoves.shutdownNow();
    tracker.close();
    if (http != null) {
      http.close();
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
