package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.Names;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a {@link ClusterPlan} out, one named step after the other. Only API calls happen here,
 * on the caller's thread; commands to the group are sent and not waited for: their completion is
 * recorded in the {@link CommandLedger} and reported through {@code onCommandDone}, which
 * enqueues the cluster again.
 */
final class PlanSteps {
  private static final Logger log = LoggerFactory.getLogger(PlanSteps.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Called before each step by name: tests stop an operator there, as a crash would. */
  interface Hook {
    Hook NONE = step -> { };

    void before(String step);
  }

  private final KubernetesClient client;
  private final Applier applier;
  private final Masters masters;
  private final GroupCommands commands;
  private final CommandLedger ledger;
  private final WriteServiceMover writeService;
  private final Clock clock;
  volatile Consumer<String> onCommandDone = key -> { };
  volatile Hook hook = Hook.NONE;

  PlanSteps(KubernetesClient client, Applier applier, Masters masters, GroupCommands commands,
      CommandLedger ledger, WriteServiceMover writeService, Clock clock) {
    this.client = client;
    this.applier = applier;
    this.masters = masters;
    this.commands = commands;
    this.ledger = ledger;
    this.writeService = writeService;
    this.clock = clock;
  }

  void execute(ClusterSnapshot s, ClusterPlan p) {
    // Before the daemons are watched or anything is sent: which links are TLS, and with what.
    commands.useTls(s.key(), TlsObserved.linkMaterial(s), TlsObserved.hosts(s));
    watchDaemons(s, p.watch());
    String version = p.decisions().map(d -> recordDecisions(s.cluster(), d))
        .orElse(s.cluster().getMetadata().getResourceVersion());
    p.apply().forEach(o -> apply(s, o));
    p.delete().forEach(this::delete);
    if (p.replacePod() != null) {
      replacePod(s, p.replacePod());
    }
    p.commands().forEach(c -> send(s.key(), s.password(), c));
    p.status().ifPresent(change -> writeStatus(s.cluster(), version, change));
  }

  private void watchDaemons(ClusterSnapshot s, ClusterPlan.Watch w) {
    hook.before("watchDaemons");
    masters.watch(s.key(), w.masterName(), null, w.daemons(), w.quorum());
  }

  private void apply(ClusterSnapshot s, HasMetadata o) {
    hook.before("apply");
    log.info("{} {}/{}: {}", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName(),
        s.existing().containsKey(ClusterSnapshot.ref(o.getClass(), o.getMetadata().getName()))
            ? "updating" : "creating");
    if (o instanceof Service && o.getMetadata().getName().equals(Names.writeService(s.cluster()))) {
      writeService.applyIfStillCurrent(s.key(), s.agreed(), () -> applier.apply(o));
    } else {
      applier.apply(o);
    }
  }

  private void delete(HasMetadata o) {
    hook.before("delete");
    applier.delete(o);
  }

  /** Deletes the pod, and remembers which one: the cache may show it for a moment still. */
  private void replacePod(ClusterSnapshot s, ClusterPlan.PodToReplace pod) {
    hook.before("replacePod");
    log.info("{}: replacing pod {} for the new revision", s.key(), pod.name());
    client.pods().inNamespace(s.cluster().getMetadata().getNamespace()).withName(pod.name()).delete();
    String slot = ClusterPlanner.deletedSlot(pod.name());
    ledger.started(s.key(), slot, pod.uid(), clock.millis());
    ledger.finished(s.key(), slot, pod.uid(), true, clock.millis());
  }

  private void send(String key, String password, Command c) {
    hook.before("sendCommand");
    ledger.started(key, c.slot(), c.value(), clock.millis());
    CompletionStage<Boolean> result;
    if (c instanceof Command.ConfigSet set) {
      result = commands.configSet(set.node(), password, set.parameters());
    } else if (c instanceof Command.TlsReload r) {
      result = commands.reloadTls(r.node(), password, r.material(), r.parameters());
    } else if (c instanceof Command.HoldSeen h) {
      result = commands.holdSeen(h.masterName(), h.daemons(), h.replicas());
    } else if (c instanceof Command.ResyncDone r) {
      result = commands.inSync(r.master(), r.replicas(), password);
    } else if (c instanceof Command.Switchover sw) {
      result = commands.switchover(sw.masterName(), sw.daemons());
    } else {
      Command.ForgetGone f = (Command.ForgetGone) c;
      result = commands.forgetGone(f.masterName(), f.daemons(), f.expectedDaemons(), f.expectedReplicas())
          .thenApply(reset -> true);
    }
    result.whenComplete((ok, e) -> {
      ledger.finished(key, c.slot(), c.value(), e == null && Boolean.TRUE.equals(ok), clock.millis());
      onCommandDone.accept(key);
    });
  }

  /**
   * A JSON merge patch of the one annotation, on the version the plan was made from: if the
   * cluster changed since (the cache was behind), the patch is refused and the reconcile runs
   * again on the newer version rather than overwrite newer decisions with older ones.
   *
   * @return the cluster's resource version after the patch
   */
  private String recordDecisions(ValkeyCluster cr, Decisions d) {
    hook.before("recordDecisions");
    var patch = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var metadata = patch.putObject("metadata");
    metadata.put("resourceVersion", cr.getMetadata().getResourceVersion());
    var annotations = metadata.putObject("annotations");
    String value = d.toAnnotation();
    if (value == null) {
      annotations.putNull(Decisions.ANNOTATION); // merge patch: null removes the annotation
    } else {
      annotations.put(Decisions.ANNOTATION, value);
    }
    try {
      return client.resources(ValkeyCluster.class).inNamespace(cr.getMetadata().getNamespace())
          .withName(cr.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString())
          .getMetadata().getResourceVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new StaleSnapshot();
      }
      throw e;
    }
  }

  /** The cluster changed since the snapshot: nothing further of this plan may be done. */
  static final class StaleSnapshot extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleSnapshot() {
      super("the cluster changed since the snapshot", null, false, false);
    }
  }

  /**
   * The status subresource is the operator's alone: a conflict only means the cache's copy was
   * older than the server's, so the status is written again on the newest version.
   */
  private void writeStatus(ValkeyCluster cr, String version, StatusPlan.Change change) {
    hook.before("writeStatus");
    ValkeyCluster written = StatusWrites.write(client, ValkeyCluster.class, cr, version,
        change.status(), ValkeyCluster::new);
    if (written == null) {
      return;
    }
    for (StatusPlan.Event e : change.events()) {
      event(written, e);
    }
  }

  private void event(ValkeyCluster cr, StatusPlan.Event e) {
    String now = Instant.now(clock).toString();
    try {
      client.v1().events().inNamespace(cr.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(cr.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(cr.getMetadata().getNamespace()).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(cr.getApiVersion())
              .withKind(cr.getKind()).withName(cr.getMetadata().getName())
              .withNamespace(cr.getMetadata().getNamespace()).withUid(cr.getMetadata().getUid()).build())
          .withType(e.type()).withReason(e.reason()).withMessage(e.message())
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("vigil-operator").endSource()
          .build()).create();
    } catch (RuntimeException x) {
      log.warn("cannot record event {} on {}: {}", e.reason(), cr.getMetadata().getName(), x.toString());
    }
  }
}
