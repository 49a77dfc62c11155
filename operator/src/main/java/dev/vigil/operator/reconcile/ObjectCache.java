package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Where a reconcile reads the cluster and what it owns. The operator reads its informers' caches
 * (a reconcile of an unchanged cluster then costs no API request at all); code that runs without
 * informers reads the API.
 */
public interface ObjectCache {
  ValkeyCluster cluster(String namespace, String name);

  /** An object by kind and name, or null. */
  <T extends HasMetadata> T get(Class<T> kind, String namespace, String name);

  /**
   * An object read from the API server itself: for what no informer holds (a Secret the user
   * names) and for what must not be taken as absent only because the cache has not seen it yet.
   */
  default <T extends HasMetadata> T uncached(Class<T> kind, String namespace, String name) {
    return get(kind, namespace, name);
  }

  /** The pods of a cluster (Valkey pods and, in deployment mode, daemon pods). */
  List<Pod> pods(String namespace, String instance);
}
