package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
import dev.vigil.operator.reconcile.FakeMasters;
import dev.vigil.operator.reconcile.FakeStatefulSetController;
import dev.vigil.operator.reconcile.RecordingCommands;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A resync of converged clusters reads the informers' caches and writes nothing: the requests
 * the mock API server receives while the operator reconciles every cluster again are counted.
 */
@EnableKubernetesMockClient(crud = true)
class ResyncTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void aResyncOfConvergedClustersCostsNoApiWrite() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of("VIGIL_OPERATOR_METRICS_PORT", "0",
        "VIGIL_OPERATOR_LEADER_ELECTION", "false", "VIGIL_OPERATOR_RESYNC", "1s", "VIGIL_OPERATOR_WORKERS", "2"));
    FakeMasters masters = new FakeMasters().everyone(new HostPort("10.4.0.10", 6379));
    FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.4.0." + (10 + i));
    try (Operator op = new Operator(client, config, new CreateOrReplaceApplier(client), Endpoints.POD_IPS,
        (loops, listener, resync) -> masters.listener(listener), resp -> new RecordingCommands())) {
      op.run();
      for (String name : List.of("one", "two", "three")) {
        ValkeyCluster c = new ValkeyCluster();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("rs").build());
        client.resources(ValkeyCluster.class).inNamespace("rs").resource(c).create();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        pods.sync("rs");
        return client.resources(ValkeyCluster.class).inNamespace("rs").list().getItems().stream()
            .allMatch(c -> c.getStatus() != null && "Ready".equals(c.getStatus().phase));
      });
      // Let the last watch events settle: a reconcile with nothing to do.
      double settled = reconciles(op);
      await().atMost(Duration.ofSeconds(10)).until(() -> reconciles(op) >= settled + 3);
      drain();
      double before = reconciles(op);
      await().atMost(Duration.ofSeconds(20)).until(() -> reconciles(op) >= before + 6);
      List<String> requests = drain();
      System.out.printf("requests during %d reconciles of 3 converged clusters: %s%n",
          (long) (reconciles(op) - before), requests);
      assertThat(requests).as("writes during a resync")
          .noneMatch(r -> r.startsWith("POST") || r.startsWith("PUT") || r.startsWith("PATCH")
              || r.startsWith("DELETE"));
      assertThat(requests).as("reads during a resync: the caches answer").isEmpty();
    }
  }

  private static double reconciles(Operator op) {
    return op.metrics().reconciles.labelValues("ok").get();
  }

  private static List<String> drain() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!r.getPath().contains("watch=true")) {
        out.add(r.getMethod() + " " + r.getPath());
      }
    }
    return out;
  }
}
