package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Reads straight from the API server: for reconciles run without informers (tests, tools). */
public final class ApiObjectCache implements ObjectCache {
  private final KubernetesClient client;

  public ApiObjectCache(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ValkeyCluster cluster(String namespace, String name) {
    return get(ValkeyCluster.class, namespace, name);
  }

  @Override
  public <T extends HasMetadata> T get(Class<T> kind, String namespace, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  @Override
  public List<Pod> pods(String namespace, String instance) {
    return client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, instance).list().getItems();
  }
}
