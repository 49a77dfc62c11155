package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.ModelInput;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Eventual convergence: random sequences of spec edits, deleted and edited sub-resources and
 * deleted pods, with reconciles skipped at random, always end in exactly the desired state once
 * reconciles run, and a reconcile after that writes nothing. Failing seeds are printed.
 */
@EnableKubernetesMockClient(crud = true)
class ConvergenceTest {
  static KubernetesClient client;
  private static final int SEEDS = Integer.getInteger("vigil.convergence.seeds", 25);

  @Test
  void randomEditsAndDeletionsAlwaysConverge() {
    // The daemons (not running here) agree that pod 0 is master; commands to nodes succeed.
    FakeMasters masters = new FakeMasters().everyone(new dev.vigil.operator.master.HostPort("10.2.0.10", 6379));
    CountingApplier applier = new CountingApplier(new CreateOrReplaceApplier(client));
    ClusterReconciler reconciler = new ClusterReconciler(new ClusterReconciler.Parts(client,
        new ApiObjectCache(client), applier, masters, new RecordingCommands(), Endpoints.POD_IPS, "vigil:test",
        () -> "pw", Clock.systemUTC()));
    List<String> failures = new ArrayList<>();
    try {
      for (long seed = 0; seed < SEEDS; seed++) {
        String ns = "conv" + seed;
        FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.2.0." + (10 + i));
        String problem = run(new SplittableRandom(seed), ns, reconciler, applier, pods);
        if (problem != null) {
          failures.add("seed " + seed + ": " + problem);
        }
      }
    } finally {
      masters.close();
    }
    assertThat(failures).as("replay with -Dvigil.convergence.seeds").isEmpty();
  }

  private static ValkeyCluster get(String ns) {
    return client.resources(ValkeyCluster.class).inNamespace(ns).withName("c").get();
  }

  private static String run(SplittableRandom r, String ns, ClusterReconciler reconciler,
      CountingApplier applier, FakeStatefulSetController pods) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace(ns).build());
    client.resources(ValkeyCluster.class).inNamespace(ns).resource(c).create();
    for (int step = 0; step < 12; step++) {
      switch (r.nextInt(7)) {
        case 0 -> edit(ns, x -> x.getSpec().replicas = 1 + r.nextInt(5));
        case 1 -> edit(ns, x -> x.getSpec().config.put("maxmemory-policy",
            r.nextBoolean() ? "allkeys-lru" : "noeviction"));
        case 2 -> edit(ns, x -> x.getSpec().sentinel.mode =
            r.nextBoolean() ? SentinelSpec.Mode.sidecar : SentinelSpec.Mode.deployment);
        case 3 -> {
          List<HasMetadata> owned = owned(ns);
          if (!owned.isEmpty()) {
            client.resource(owned.get(r.nextInt(owned.size()))).delete();
          }
        }
        case 4 -> {
          if (client.services().inNamespace(ns).withName("c").get() != null) {
            client.services().inNamespace(ns).withName("c").edit(s -> {
              s.getSpec().getSelector().put(Labels.POD_NAME, "c-9");
              return s;
            });
          }
        }
        case 5 -> edit(ns, x -> x.getSpec().service.type = r.nextBoolean() ? "ClusterIP" : "NodePort");
        default -> pods.sync(ns);
      }
      if (r.nextBoolean()) {
        reconciler.reconcile(get(ns));
      }
    }
    for (int i = 0; i < 3; i++) {
      reconciler.reconcile(get(ns));
      pods.sync(ns);
    }
    // Pods that the last sync removed are seen by one more reconcile, as their deletion triggers
    // one: the daemons' peer list keeps naming the pods of a scale-in until they are gone.
    reconciler.reconcile(get(ns));
    ValkeyCluster last = get(ns);
    String password = new String(Base64.getDecoder().decode(
        client.secrets().inNamespace(ns).withName("c-auth").get().getData().get("password")), StandardCharsets.UTF_8);
    DesiredState want = DesiredState.of(new ModelInput(last, password, last.getStatus().master, "vigil:test"));
    for (HasMetadata o : want.objects()) {
      HasMetadata live = client.resource(o).get();
      if (live == null) {
        return o.getKind() + "/" + o.getMetadata().getName() + " missing";
      }
      if (!JsonSubset.contains(json(live), json(o))) {
        return o.getKind() + "/" + o.getMetadata().getName() + " differs from the desired one";
      }
    }
    for (DesiredState.Absent a : want.absent()) {
      if (client.resources(a.kind()).inNamespace(ns).withName(a.name()).get() != null) {
        return a.kind().getSimpleName() + "/" + a.name() + " should be gone";
      }
    }
    applier.writes.clear();
    reconciler.reconcile(get(ns));
    return applier.writes.isEmpty() ? null : "a converged cluster still writes " + applier.writes;
  }

  private static JsonNode json(Object o) {
    return client.getKubernetesSerialization().convertValue(o, JsonNode.class);
  }

  private static List<HasMetadata> owned(String ns) {
    List<HasMetadata> out = new ArrayList<>();
    out.addAll(client.services().inNamespace(ns).list().getItems());
    out.addAll(client.configMaps().inNamespace(ns).list().getItems());
    out.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
    out.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
    out.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
    out.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
    client.secrets().inNamespace(ns).list().getItems().stream()
        .filter(s -> !s.getMetadata().getName().equals("c-auth")).forEach(out::add);
    return out;
  }

  private static void edit(String ns, java.util.function.Consumer<ValkeyCluster> change) {
    ValkeyCluster c = get(ns);
    change.accept(c);
    client.resources(ValkeyCluster.class).inNamespace(ns).resource(c).update();
  }
}
