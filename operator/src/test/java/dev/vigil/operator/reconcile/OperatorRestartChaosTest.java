package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The operator stopped (a crash, a lost Lease) at random points of a scale 3→5→3 and of a rolling
 * change, and a new one started with nothing in memory: the master's pod is never removed while
 * it is master, and once things settle every pod is promotable again (no replica-priority 0 left)
 * and the cluster is as its spec says. The daemons and nodes are a model: commands take effect and
 * are answered when the test says, or are lost with the operator that sent them. Failing seeds are
 * printed; replay one with {@code -Dvigil.chaos.seed=N -Dvigil.chaos.seeds=1}.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRestartChaosTest {
  static KubernetesClient client;
  private static final int SEEDS = Integer.getInteger("vigil.chaos.seeds", 8);
  private static final long FIRST_SEED = Long.getLong("vigil.chaos.seed", 0);
  /** Thousands of requests: the mock server's line per request would be most of the run. */
  private static final java.util.logging.Logger QUIET = quiet();

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  /** A crash of the operator at some step of a reconcile. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String step) {
      super("operator stopped before " + step, null, false, false);
    }
  }

  static final class TestClock extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  /** One group's daemons and nodes: who is master, each pod's replica-priority (by pod uid). */
  static final class Group implements Masters, GroupCommands {
    private final String ns;
    private final SplittableRandom random;
    final List<Runnable> pending = new ArrayList<>();
    final Map<String, Integer> priority = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    String master;

    Group(String ns, SplittableRandom random) {
      this.ns = ns;
      this.random = random;
    }

    List<Pod> pods() {
      return client.pods().inNamespace(ns).withLabel(Labels.COMPONENT, Labels.VALKEY).list().getItems();
    }

    Optional<Pod> pod(String name) {
      return pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
    }

    int priorityOf(Pod p) {
      return priority.getOrDefault(p.getMetadata().getUid(), 100);
    }

    /** What the daemons would do now: the master's pod must exist; a new group elects c-0. */
    void check(String when) {
      if (master == null) {
        if (pod("c-0").isPresent()) {
          master = "c-0";
        }
        return;
      }
      if (pod(master).isEmpty()) {
        violations.add("the master " + master + " was removed " + when);
        master = null;
      }
    }

    /** The daemons fail over on their own: to a promotable replica, as they would. */
    void failover() {
      List<Pod> candidates = pods().stream().filter(p -> !p.getMetadata().getName().equals(master))
          .filter(p -> priorityOf(p) != 0).toList();
      if (master != null && !candidates.isEmpty()) {
        master = candidates.get(random.nextInt(candidates.size())).getMetadata().getName();
      }
    }

    void deliver(int n) {
      for (int i = 0; i < n && !pending.isEmpty(); i++) {
        pending.remove(random.nextInt(pending.size())).run();
      }
    }

    /** The operator went: what it sent either still happens or is lost on the way. */
    void operatorGone() {
      List<Runnable> inFlight = new ArrayList<>(pending);
      pending.clear();
      inFlight.forEach(r -> {
        if (random.nextBoolean()) {
          r.run();
        }
      });
    }

    private <T> CompletionStage<T> later(Runnable effect, java.util.function.Supplier<T> result) {
      CompletableFuture<T> f = new CompletableFuture<>();
      pending.add(() -> {
        effect.run();
        f.complete(result.get());
      });
      return f;
    }

    @Override
    public CompletionStage<Boolean> configSet(HostPort node, String password, Map<String, String> parameters) {
      Optional<Pod> p = pods().stream().filter(x -> node.host().equals(x.getStatus().getPodIP())).findFirst();
      if (p.isEmpty() || !parameters.containsKey("replica-priority")) {
        return CompletableFuture.completedFuture(p.isPresent());
      }
      String uid = p.get().getMetadata().getUid();
      int value = Integer.parseInt(parameters.get("replica-priority"));
      return later(() -> priority.put(uid, value), () -> true);
    }

    @Override
    public CompletionStage<Boolean> switchover(String masterName, List<HostPort> daemons) {
      boolean[] ok = new boolean[1];
      return later(() -> {
        String before = master;
        failover();
        ok[0] = master != null && !master.equals(before);
      }, () -> ok[0]);
    }

    @Override
    public CompletionStage<Optional<HostPort>> forgetGone(String masterName, List<HostPort> daemons,
        int expectedDaemons, int expectedReplicas) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public void watch(String key, String masterName, String password, List<HostPort> daemons, int quorum) {}

    @Override
    public Optional<HostPort> master(String key) {
      return Optional.ofNullable(master).flatMap(this::pod)
          .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
          .map(p -> new HostPort(p.getStatus().getPodIP(), 6379));
    }

    @Override
    public Optional<String> disagreement(String key) {
      return Optional.empty();
    }

    @Override
    public void forget(String key) {}

    @Override
    public void close() {}
  }

  @Test
  void aRestartAnywhereInScalingOrRollingLeavesNoMasterRemovedAndNoPodUnpromotable() {
    List<String> failures = new ArrayList<>();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      String problem = run(seed);
      if (problem != null) {
        failures.add("seed " + seed + ": " + problem);
      }
    }
    assertThat(failures).as("replay with -Dvigil.chaos.seed=N -Dvigil.chaos.seeds=1").isEmpty();
  }

  private String run(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String ns = "chaos" + seed;
    Group group = new Group(ns, r.split());
    TestClock clock = new TestClock();
    FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.9." + (seed % 250) + "." + (10 + i));
    ClusterReconciler[] operator = {start(group, clock, r, 0)};
    int[] restarts = {0};
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace(ns).build());
    client.resources(ValkeyCluster.class).inNamespace(ns).resource(c).create();
    settle(ns, group, clock, pods, operator[0]);

    // A rolling change, then scale 3→5→3 twice, the second scale-in widened to 1 pod and then
    // narrowed back to 3 (pods lowered for it that stay must be restored; a roll last would
    // replace every pod, and with it any priority left at 0).
    List<Consumer<ValkeyCluster>> phases = List.of(x -> x.getSpec().image = "valkey/valkey:8.1." + seed,
        x -> x.getSpec().replicas = 5, x -> x.getSpec().replicas = 3, x -> x.getSpec().replicas = 5,
        x -> x.getSpec().replicas = 1, x -> x.getSpec().replicas = 3);
    for (Consumer<ValkeyCluster> phase : phases) {
      ValkeyCluster cr = get(ns);
      phase.accept(cr);
      client.resources(ValkeyCluster.class).inNamespace(ns).resource(cr).update();
      int steps = 10 + r.nextInt(30);
      for (int i = 0; i < steps; i++) {
        switch (r.nextInt(10)) {
          case 0, 1, 2, 3 -> {
            try {
              operator[0].reconcile(get(ns));
            } catch (Crash crash) {
              group.operatorGone();
              operator[0] = start(group, clock, r, r.nextDouble() * 0.3);
              restarts[0]++;
            }
          }
          case 4, 5 -> pods.sync(ns);
          case 6 -> group.deliver(1 + r.nextInt(3));
          case 7 -> {
            group.operatorGone();
            operator[0] = start(group, clock, r, r.nextDouble() * 0.3);
            restarts[0]++;
          }
          case 8 -> clock.millis += r.nextInt(12_000);
          default -> {
            if (r.nextInt(4) == 0) {
              group.failover();
            }
          }
        }
        group.check("during step " + i);
        if (!group.violations.isEmpty()) {
          return group.violations + " (after " + restarts[0] + " restarts)";
        }
      }
      if (r.nextBoolean()) {
        settle(ns, group, clock, pods, operator[0] = start(group, clock, r, 0));
      }
    }
    ClusterReconciler last = start(group, clock, r, 0);
    String unsettled = settle(ns, group, clock, pods, last);
    if (!group.violations.isEmpty()) {
      return group.violations.toString();
    }
    if (unsettled != null) {
      return unsettled + " (after " + restarts[0] + " restarts)";
    }
    List<String> unpromotable = group.pods().stream().filter(p -> group.priorityOf(p) == 0)
        .map(p -> p.getMetadata().getName()).toList();
    return unpromotable.isEmpty() ? null : "left at replica-priority 0: " + unpromotable;
  }

  /** A new operator, nothing in memory, that stops before a step with probability {@code crash}. */
  private ClusterReconciler start(Group group, Clock clock, SplittableRandom r, double crash) {
    ClusterReconciler rec = new ClusterReconciler(new ClusterReconciler.Parts(client, new ApiObjectCache(client),
        new CreateOrReplaceApplier(client), group, group, Endpoints.POD_IPS, "vigil:test", () -> "pw", clock));
    SplittableRandom own = r.split();
    rec.beforeEachStep(step -> {
      if (crash > 0 && own.nextDouble() < crash) {
        throw new Crash(step);
      }
    });
    return rec;
  }

  /** Runs reconciles, pods and daemons without faults until the cluster is as its spec says. */
  private String settle(String ns, Group group, TestClock clock, FakeStatefulSetController pods,
      ClusterReconciler operator) {
    String why = null;
    for (int i = 0; i < 80; i++) {
      group.deliver(Integer.MAX_VALUE);
      operator.reconcile(get(ns));
      group.deliver(Integer.MAX_VALUE);
      group.check("while settling");
      pods.sync(ns);
      group.check("while settling");
      clock.millis += 3_000;
      why = unconverged(ns, group);
      if (why == null) {
        return null;
      }
    }
    return "not settled: " + why;
  }

  private static String unconverged(String ns, Group group) {
    ValkeyCluster c = get(ns);
    var sts = client.apps().statefulSets().inNamespace(ns).withName("c").get();
    if (sts == null || sts.getSpec().getReplicas() != c.getSpec().replicas) {
      return "StatefulSet size " + (sts == null ? null : sts.getSpec().getReplicas());
    }
    List<Pod> valkey = group.pods();
    if (valkey.size() != c.getSpec().replicas) {
      return valkey.size() + " pods";
    }
    String revision = sts.getStatus() == null ? null : sts.getStatus().getUpdateRevision();
    if (valkey.stream().anyMatch(p -> !p.getMetadata().getLabels().get("controller-revision-hash").equals(revision))) {
      return "pods on an old revision";
    }
    if (!Decisions.of(c).isEmpty()) {
      return "decisions left: " + Decisions.of(c);
    }
    if (c.getStatus() == null || !"Ready".equals(c.getStatus().phase)) {
      return "phase " + (c.getStatus() == null ? null : c.getStatus().phase);
    }
    return group.pending.isEmpty() ? null : "commands pending";
  }

  private static ValkeyCluster get(String ns) {
    return client.resources(ValkeyCluster.class).inNamespace(ns).withName("c").get();
  }
}
