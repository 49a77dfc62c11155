package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The whole operator process against the mock API server: Lease, informers, queue, HTTP. */
@EnableKubernetesMockClient(crud = true)
class OperatorTest {
  static KubernetesClient client;

  @Test
  void leadsThenCreatesRepairsAndCleansUpThroughItsInformers() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of("POD_NAMESPACE", "ops", "POD_NAME", "op-1",
        "VIGIL_OPERATOR_METRICS_PORT", "0", "VIGIL_OPERATOR_NAMESPACES", "apps"));
    AtomicBoolean lost = new AtomicBoolean();
    try (Operator op = new Operator(client, config, new CreateOrReplaceApplier(client), Endpoints.POD_IPS)) {
      op.onLostLeadership(() -> lost.set(true));
      Thread runner = new Thread(() -> {
        try {
          op.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "leader-election");
      runner.setDaemon(true);
      runner.start();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          client.leases().inNamespace("ops").withName("vigil-operator-leader").get() != null
              && "op-1".equals(client.leases().inNamespace("ops").withName("vigil-operator-leader").get()
                  .getSpec().getHolderIdentity()));

      ValkeyCluster c = new ValkeyCluster();
      c.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("apps").build());
      client.resources(ValkeyCluster.class).inNamespace("apps").resource(c).create();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          client.apps().statefulSets().inNamespace("apps").withName("web").get() != null
              && client.secrets().inNamespace("apps").withName("web-connection").get() != null);

      // Drift: a deleted Service comes back without anyone touching the ValkeyCluster.
      client.services().inNamespace("apps").withName("web-replicas").delete();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          client.services().inNamespace("apps").withName("web-replicas").get() != null);

      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + op.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("vigil_operator_reconciles_total{result=\"ok\"}",
          "vigil_operator_leader 1.0");
      assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + op.httpPort() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      client.resources(ValkeyCluster.class).inNamespace("apps").withName("web").delete();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          client.apps().statefulSets().inNamespace("apps").withName("web").get() == null
              && client.services().inNamespace("apps").withLabel(Labels.INSTANCE, "web").list().getItems().isEmpty());
      assertThat(lost).isFalse();
    }
  }
}
