package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.Names;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a cluster's write Service to the master the daemons agreed on, on its own path: one
 * selector patch, read from the caches, never queued behind reconciles. A reconcile writes the
 * write Service only through {@link #applyIfStillCurrent}, which skips it if the daemons agreed
 * on another master since its snapshot, so a slower reconcile never moves the selector back.
 */
public final class WriteServiceMover {
  private static final Logger log = LoggerFactory.getLogger(WriteServiceMover.class);
  private final KubernetesClient client;
  private final ObjectCache cache;
  private final Masters masters;
  private final Endpoints endpoints;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public WriteServiceMover(KubernetesClient client, ObjectCache cache, Masters masters, Endpoints endpoints) {
    this.client = client;
    this.cache = cache;
    this.masters = masters;
    this.endpoints = endpoints;
  }

  /**
   * Points the write Service of cluster {@code key} (namespace/name) at the pod of {@code master}.
   *
   * @return the pod it selects now, empty when the cluster, its Service or the pod is unknown
   */
  public Optional<String> move(String key, HostPort master) {
    String[] nsName = key.split("/", 2);
    ValkeyCluster cr = cache.cluster(nsName[0], nsName[1]);
    if (cr == null) {
      return Optional.empty();
    }
    Optional<String> pod = endpoints.podFor(cr, master, cache.pods(nsName[0], nsName[1]));
    if (pod.isEmpty()) {
      log.warn("{}: the daemons' master {} is no pod of the cluster", key, master);
      return Optional.empty();
    }
    synchronized (lock(key)) {
      Service write = cache.get(Service.class, nsName[0], Names.writeService(cr));
      if (write == null) {
        return Optional.empty();
      }
      if (!pod.get().equals(write.getSpec().getSelector() == null ? null
          : write.getSpec().getSelector().get(Labels.POD_NAME))) {
        client.services().inNamespace(nsName[0]).withName(Names.writeService(cr))
            .patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"selector\":{\"" + Labels.POD_NAME + "\":\"" + pod.get() + "\"}}}");
        log.info("{}: write Service now selects {} ({})", key, pod.get(), master);
      }
      return pod;
    }
  }

  /** Runs {@code write} unless the daemons' master changed since {@code agreedAtSnapshot}. */
  void applyIfStillCurrent(String key, Optional<HostPort> agreedAtSnapshot, Runnable write) {
    synchronized (lock(key)) {
      if (masters.master(key).equals(agreedAtSnapshot)) {
        write.run();
      }
    }
  }

  void forget(String key) {
    locks.remove(key);
  }

  private Object lock(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }
}
