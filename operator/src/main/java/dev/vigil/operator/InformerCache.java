package dev.vigil.operator;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.ObjectCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's informers as an {@link ObjectCache}: reads cost no API request. Pods are indexed
 * by cluster. A kind without an informer is read from the API.
 */
final class InformerCache implements ObjectCache {
  static final String BY_INSTANCE = "instance";

  private final KubernetesClient client;
  private final Map<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();

  InformerCache(KubernetesClient client) {
    this.client = client;
  }

  /** Indexes pods by namespace/instance; call before the pod informer starts. */
  static void indexPods(SharedIndexInformer<Pod> pods) {
    pods.addIndexers(Map.of(BY_INSTANCE, p -> {
      Map<String, String> l = p.getMetadata().getLabels();
      String instance = l == null ? null : l.get(Labels.INSTANCE);
      return instance == null ? List.of() : List.of(p.getMetadata().getNamespace() + "/" + instance);
    }));
  }

  <T extends HasMetadata> void add(Class<T> kind, SharedIndexInformer<T> informer) {
    informers.put(kind, informer);
  }

  @Override
  public ValkeyCluster cluster(String namespace, String name) {
    return get(ValkeyCluster.class, namespace, name);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T get(Class<T> kind, String namespace, String name) {
    SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(kind);
    if (informer == null) {
      return uncached(kind, namespace, name);
    }
    return informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  @Override
  public <T extends HasMetadata> T uncached(Class<T> kind, String namespace, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Pod> pods(String namespace, String instance) {
    SharedIndexInformer<Pod> pods = (SharedIndexInformer<Pod>) informers.get(Pod.class);
    return pods.getIndexer().byIndex(BY_INSTANCE, namespace + "/" + instance);
  }
}
