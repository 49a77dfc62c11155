package dev.vigil.operator.reconcile;

import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the StatefulSet controller and the kubelet would do, for the mock server (which runs
 * neither): pods named name-0..n-1 with the template's labels, the pod-name label, a revision, an
 * IP from {@code ipOf}, and Ready. Scaling in removes the highest ordinals, as Kubernetes does.
 */
public final class FakeStatefulSetController {
  private final KubernetesClient client;
  private final IntFunction<String> ipOf;
  private final Map<String, Boolean> notReady = new HashMap<>();

  public FakeStatefulSetController(KubernetesClient client, IntFunction<String> ipOf) {
    this.client = client;
    this.ipOf = ipOf;
  }

  public void notReady(String pod, boolean value) {
    notReady.put(pod, value);
  }

  /** Brings the pods of every StatefulSet in {@code ns} in line with its spec. */
  public void sync(String ns) {
    for (StatefulSet sts : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
      String name = sts.getMetadata().getName();
      int replicas = sts.getSpec().getReplicas();
      String revision = name + "-" + Integer.toHexString(
          client.getKubernetesSerialization().asJson(sts.getSpec().getTemplate()).hashCode());
      for (int i = 0; i < replicas; i++) {
        String pod = name + "-" + i;
        Pod existing = client.pods().inNamespace(ns).withName(pod).get();
        boolean ready = !notReady.getOrDefault(pod, false);
        if (existing == null) {
          Map<String, String> labels = new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
          labels.put(Labels.POD_NAME, pod);
          labels.put("controller-revision-hash", revision);
          client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(pod)
              .withNamespace(ns).withLabels(labels).endMetadata()
              .withSpec(sts.getSpec().getTemplate().getSpec())
              .withNewStatus().withPodIP(ipOf.apply(i)).addNewCondition().withType("Ready")
              .withStatus(ready ? "True" : "False").endCondition().endStatus().build()).create();
        } else {
          existing.getStatus().getConditions().get(0).setStatus(ready ? "True" : "False");
          client.pods().inNamespace(ns).resource(existing).update();
        }
      }
      for (Pod p : client.pods().inNamespace(ns).withLabel(Labels.INSTANCE, name).list().getItems()) {
        String podName = p.getMetadata().getName();
        int ordinal = Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
        if (ordinal >= replicas && Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
          client.pods().inNamespace(ns).withName(podName).delete();
        }
      }
      sts.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
          .withReplicas(replicas).withUpdateRevision(revision)
          .withObservedGeneration(sts.getMetadata().getGeneration()).build());
      client.apps().statefulSets().inNamespace(ns).resource(sts).updateStatus();
    }
  }
}
