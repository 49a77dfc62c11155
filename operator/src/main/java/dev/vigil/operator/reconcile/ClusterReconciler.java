package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Level-based reconcile of one ValkeyCluster as snapshot → pure plan → named steps: read one
 * {@link ClusterSnapshot} (caches, the daemons' view, earlier commands' outcomes), compute the
 * {@link ClusterPlan} ({@link ClusterPlanner}), carry it out ({@link PlanSteps}). Running it twice
 * on an unchanged cluster writes nothing; nothing in it waits on a Valkey node or daemon. It never
 * decides a failover: it asks the daemons for a coordinated switchover when a pod that is master
 * must go.
 */
public final class ClusterReconciler {
  private static final Duration STALE_RETRY = Duration.ofMillis(200);
  private final KubernetesClient client;
  private final Applier applier;
  private final Masters masters;
  private final CommandLedger ledger = new CommandLedger();
  private final SnapshotReader reader;
  private final ClusterPlanner planner;
  private final PlanSteps steps;
  private final WriteServiceMover writeService;

  /** Collaborators of a reconciler, each replaceable in tests. */
  public record Parts(KubernetesClient client, ObjectCache cache, Applier applier, Masters masters,
      GroupCommands commands, Endpoints endpoints, String daemonImage, Supplier<String> passwords,
      Clock clock) {}

  public ClusterReconciler(Parts p) {
    this.client = p.client();
    this.applier = p.applier();
    this.masters = p.masters();
    this.reader = new SnapshotReader(p.cache(), p.masters(), ledger, p.passwords(), p.clock());
    this.planner = new ClusterPlanner(p.endpoints(), p.daemonImage());
    this.writeService = new WriteServiceMover(p.client(), p.cache(), p.masters(), p.endpoints());
    this.steps = new PlanSteps(p.client(), p.applier(), p.masters(), p.commands(), ledger, writeService,
        p.clock());
  }

  public static String key(ValkeyCluster c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  /** Where the completion of each command sent to a cluster is reported (the work queue). */
  public void onCommandDone(Consumer<String> listener) {
    steps.onCommandDone = listener;
  }

  /** For tests: stops a reconcile before a named step, as a crash there would. */
  void beforeEachStep(PlanSteps.Hook hook) {
    steps.hook = hook;
  }

  /** The backup agent's image, which restores run (default: beside the daemon image). */
  public void backupImage(String image) {
    planner.backupImage = image;
  }

  public WriteServiceMover writeService() {
    return writeService;
  }

  /**
   * Reconciles one cluster.
   *
   * @return when to reconcile it again even if nothing changes (a retry, a timer), if at all
   */
  public Optional<Duration> reconcile(ValkeyCluster cr) {
    if (cr.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    ClusterSnapshot snapshot = reader.read(cr);
    ClusterPlan plan = planner.plan(snapshot);
    try {
      steps.execute(snapshot, plan);
    } catch (PlanSteps.StaleSnapshot e) {
      // The cache was behind the cluster (our own last write, usually): its watch event is on
      // the way; plan again on the newer version.
      return Optional.of(STALE_RETRY);
    }
    return plan.recheckAfter();
  }

  /** Best-effort cleanup where no garbage collector runs (the owner references do it otherwise). */
  public void deleted(ValkeyCluster cr) {
    masters.forget(key(cr));
    ledger.forget(key(cr));
    writeService.forget(key(cr));
    String ns = cr.getMetadata().getNamespace();
    String instance = cr.getMetadata().getName();
    for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class,
        io.fabric8.kubernetes.api.model.apps.Deployment.class,
        io.fabric8.kubernetes.api.model.Service.class, io.fabric8.kubernetes.api.model.ConfigMap.class,
        Secret.class, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
        io.fabric8.kubernetes.api.model.ServiceAccount.class)) {
      for (HasMetadata o : client.resources(kind).inNamespace(ns).withLabel(Labels.INSTANCE, instance)
          .withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list().getItems()) {
        if (ClusterPlanner.isOwned(cr, o)) {
          applier.delete(o);
        }
      }
    }
  }
}
