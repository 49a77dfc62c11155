package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
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
 * A node that never answers holds up nothing but its own cluster's scale-in: with one worker,
 * another cluster still converges and its write Service follows a new master at once; and the
 * write Service follows a new master even while the one worker is stuck on another cluster.
 */
@EnableKubernetesMockClient(crud = true)
class NoBlockingTest {
  static KubernetesClient client;

  private static void create(String ns, int replicas) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace(ns).build());
    c.getSpec().replicas = replicas;
    client.resources(ValkeyCluster.class).inNamespace(ns).resource(c).create();
  }

  private static ValkeyCluster get(String ns) {
    return client.resources(ValkeyCluster.class).inNamespace(ns).withName("c").get();
  }

  private static String writePod(String ns) {
    var s = client.services().inNamespace(ns).withName("c").get();
    return s == null ? null : s.getSpec().getSelector().get(Labels.POD_NAME);
  }

  @Test
  void aHangingNodeDelaysNoOtherClusterAndNoMasterMove() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of("VIGIL_OPERATOR_METRICS_PORT", "0",
        "VIGIL_OPERATOR_LEADER_ELECTION", "false", "VIGIL_OPERATOR_WORKERS", "1"));
    FakeMasters masters = new FakeMasters();
    // Every command to the "slow" cluster's nodes (10.5.1.x) never completes.
    RecordingCommands commands = new RecordingCommands().answer(c -> c.contains("10.5.1.")
        ? new CompletableFuture<>() : CompletableFuture.completedFuture(true));
    FakeStatefulSetController slowPods = new FakeStatefulSetController(client, i -> "10.5.1." + (10 + i));
    FakeStatefulSetController fastPods = new FakeStatefulSetController(client, i -> "10.5.2." + (10 + i));
    try (Operator op = new Operator(client, config, new CreateOrReplaceApplier(client), Endpoints.POD_IPS,
        (loops, listener, resync) -> masters.listener(listener), resp -> commands)) {
      op.run();
      create("slow", 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        slowPods.sync("slow");
        return client.pods().inNamespace("slow").list().getItems().size() == 3;
      });
      masters.elect("slow/c", new HostPort("10.5.1.10", 6379));
      // As a user edits: optimistic concurrency, so read again after a conflict with a status write.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        ValkeyCluster shrink = get("slow");
        shrink.getSpec().replicas = 2;
        client.resources(ValkeyCluster.class).inNamespace("slow").resource(shrink).update();
        return true;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> commands.sent.stream().anyMatch(c ->
          c.equals("config-set 10.5.1.12:6379 replica-priority 0")));

      create("fast", 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        fastPods.sync("fast");
        return "c-0".equals(writePod("fast")) && client.pods().inNamespace("fast").list().getItems().size() == 3;
      });
      masters.elect("fast/c", new HostPort("10.5.2.12", 6379));
      await().atMost(Duration.ofSeconds(10)).until(() -> "c-2".equals(writePod("fast")));
      await().atMost(Duration.ofSeconds(10)).until(() -> get("fast").getStatus() != null
          && "c-2".equals(get("fast").getStatus().master));

      // The slow cluster waits, safely: its pod to go is not known to be unpromotable yet.
      assertThat(client.apps().statefulSets().inNamespace("slow").withName("c").get().getSpec().getReplicas())
          .isEqualTo(3);
      assertThat(get("slow").getStatus().conditions).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo(ValkeyClusterStatus.PROGRESSING);
        assertThat(c.getMessage()).contains("lowering replica-priority");
      });
    }
  }

  @Test
  void aMasterChangeMovesTheWriteServiceWhileTheOnlyWorkerIsStuck() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of("VIGIL_OPERATOR_METRICS_PORT", "0",
        "VIGIL_OPERATOR_LEADER_ELECTION", "false", "VIGIL_OPERATOR_WORKERS", "1"));
    FakeMasters masters = new FakeMasters();
    FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.5.3." + (10 + i));
    java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean jam = new java.util.concurrent.atomic.AtomicBoolean();
    // An API server that hangs on one cluster's writes, once jammed: the one worker waits there.
    dev.vigil.operator.reconcile.Applier applier = new dev.vigil.operator.reconcile.Applier() {
      private final CreateOrReplaceApplier real = new CreateOrReplaceApplier(client);

      @Override
      public <T extends io.fabric8.kubernetes.api.model.HasMetadata> T apply(T desired) {
        if (jam.get() && "jammed".equals(desired.getMetadata().getNamespace())) {
          stuck.countDown();
          try {
            release.await(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return real.apply(desired);
      }

      @Override
      public boolean delete(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return real.delete(object);
      }
    };
    try (Operator op = new Operator(client, config, applier, Endpoints.POD_IPS,
        (loops, listener, resync) -> masters.listener(listener), resp -> new RecordingCommands())) {
      op.run();
      create("moving", 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        pods.sync("moving");
        return "c-0".equals(writePod("moving")) && client.pods().inNamespace("moving").list().getItems().size() == 3;
      });
      jam.set(true);
      create("jammed", 3);
      assertThat(stuck.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the worker is stuck").isTrue();

      masters.elect("moving/c", new HostPort("10.5.3.11", 6379));
      await().atMost(Duration.ofSeconds(10)).until(() -> "c-1".equals(writePod("moving")));
      assertThat(get("moving").getStatus().master).as("the status waits for the worker").isNotEqualTo("c-1");
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> "c-1".equals(get("moving").getStatus().master));
    } finally {
      release.countDown();
    }
  }
}
