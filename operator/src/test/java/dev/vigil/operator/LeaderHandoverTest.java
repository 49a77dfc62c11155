package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
import dev.vigil.operator.reconcile.Decisions;
import dev.vigil.operator.reconcile.FakeMasters;
import dev.vigil.operator.reconcile.FakeStatefulSetController;
import dev.vigil.operator.reconcile.RecordingCommands;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A leader stops in the middle of a scale-in (its lowering of a pod's replica-priority sent, not
 * yet confirmed); the scale-in is then cancelled; the replica that takes the Lease over knows from
 * the cluster, not from memory, that the pod was lowered, and restores it.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderHandoverTest {
  static KubernetesClient client;

  private static Thread lead(Operator op) {
    Thread t = new Thread(() -> {
      try {
        op.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "leader-election");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static ValkeyCluster get() {
    return client.resources(ValkeyCluster.class).inNamespace("apps").withName("c").get();
  }

  private static void replicas(int n) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      ValkeyCluster c = get();
      c.getSpec().replicas = n;
      client.resources(ValkeyCluster.class).inNamespace("apps").resource(c).update();
      return true;
    });
  }

  private static OperatorConfig config(String identity) {
    return OperatorConfig.from(Map.of("POD_NAMESPACE", "ops", "POD_NAME", identity,
        "VIGIL_OPERATOR_METRICS_PORT", "0"));
  }

  @Test
  void theNewLeaderRestoresWhatTheOldOneLoweredForACancelledScaleIn() throws Exception {
    FakeMasters daemons = new FakeMasters().everyone(new HostPort("10.6.0.10", 6379));
    FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.6.0." + (10 + i));
    // The first leader's commands are sent and never answered: it stops before it hears back.
    RecordingCommands first = new RecordingCommands().answer(c -> c.contains("replica-priority")
        ? new CompletableFuture<>() : CompletableFuture.completedFuture(true));
    RecordingCommands second = new RecordingCommands();
    Operator one = new Operator(client, config("op-1"), new CreateOrReplaceApplier(client), Endpoints.POD_IPS,
        (loops, listener, resync) -> daemons, resp -> first);
    one.onLostLeadership(() -> { });
    Thread oneLeads = lead(one);
    try (Operator two = new Operator(client, config("op-2"), new CreateOrReplaceApplier(client),
        Endpoints.POD_IPS, (loops, listener, resync) -> daemons, resp -> second)) {
      two.onLostLeadership(() -> { });
      await().atMost(Duration.ofSeconds(20)).until(one::controlling);
      lead(two);

      ValkeyCluster c = new ValkeyCluster();
      c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("apps").build());
      client.resources(ValkeyCluster.class).inNamespace("apps").resource(c).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        pods.sync("apps");
        return get().getStatus() != null && "Ready".equals(get().getStatus().phase);
      });
      replicas(2);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          first.sent.contains("config-set 10.6.0.12:6379 replica-priority 0")
              && Decisions.of(get()).lowered().contains("c-2"));
      assertThat(two.controlling()).as("a standby does nothing").isFalse();

      // The leader goes (its Lease released as on a clean stop) before the node answered.
      oneLeads.interrupt();
      one.close();
      replicas(3);
      await().atMost(Duration.ofSeconds(30)).until(two::controlling);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          second.sent.contains("config-set 10.6.0.12:6379 replica-priority 100") && Decisions.of(get()).isEmpty());
      assertThat(client.apps().statefulSets().inNamespace("apps").withName("c").get().getSpec().getReplicas())
          .isEqualTo(3);
    }
  }
}
