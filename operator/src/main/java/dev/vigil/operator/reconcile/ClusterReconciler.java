package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.MasterTracker;
import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.Names;
import dev.vigil.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-based reconcile of one ValkeyCluster: validate, compute every desired object from the
 * spec and what was observed (password, pods, the master the daemons elected), write only what
 * differs, take the next step of a scale-in or rolling change, and record status. Running it
 * twice on an unchanged cluster writes nothing. It never decides a failover: it asks the daemons
 * for a coordinated switchover when a pod that is master must go.
 */
public final class ClusterReconciler {
  private static final Logger log = LoggerFactory.getLogger(ClusterReconciler.class);
  /** A switchover request is repeated at most this often while the master must still move. */
  static final long SWITCHOVER_RETRY_MS = 10_000;
  /** Daemons are reset one at a time, this far apart, after a scale-in. */
  static final long FORGET_PERIOD_MS = 30_000;

  private final KubernetesClient client;
  private final Applier applier;
  private final MasterTracker tracker;
  private final Endpoints endpoints;
  private final GroupCommands commands;
  private final String daemonImage;
  private final Supplier<String> passwords;
  private final Clock clock;
  private final StatusWriter status;
  private final Map<String, Long> lastSwitchover = new ConcurrentHashMap<>();
  private final Map<String, Long> lastForget = new ConcurrentHashMap<>();
  /** Pods given replica-priority 0 for a scale-in, per cluster, until they are gone. */
  private final Map<String, Set<String>> lowered = new ConcurrentHashMap<>();

  public ClusterReconciler(KubernetesClient client, Applier applier, MasterTracker tracker,
      Endpoints endpoints, String daemonImage, Supplier<String> passwords, Clock clock) {
    this.client = client;
    this.applier = applier;
    this.tracker = tracker;
    this.endpoints = endpoints;
    this.commands = new GroupCommands(tracker.client());
    this.daemonImage = daemonImage;
    this.passwords = passwords;
    this.clock = clock;
    this.status = new StatusWriter(client, clock);
  }

  public static String key(ValkeyCluster c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  public StatusWriter statusWriter() {
    return status;
  }

  public void reconcile(ValkeyCluster cr) {
    if (cr.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String ns = cr.getMetadata().getNamespace();
    List<Pod> pods = client.pods().inNamespace(ns)
        .withLabel(Labels.INSTANCE, cr.getMetadata().getName()).list().getItems();
    List<String> problems = SpecValidator.problems(cr.getSpec());
    // Watch the daemons before anything below can stop this reconcile (an invalid spec, a
    // missing Secret, a failed apply): failovers go on regardless, and the write Service must
    // follow them. The daemons' port takes no password in the pods the operator builds.
    tracker.watch(key(cr), Names.masterName(cr), null, endpoints.daemons(cr, pods),
        problems.isEmpty() ? cr.getSpec().sentinel.effectiveQuorum(ModelInput.daemons(cr)) : 0);
    if (!problems.isEmpty()) {
      status.invalid(cr, problems);
      return;
    }
    String password;
    try {
      password = password(cr);
    } catch (MissingSecret e) {
      // Nothing can start without the password: say so where the user looks, apply nothing.
      status.invalid(cr, List.of(e.getMessage()));
      return;
    }
    Optional<HostPort> agreed = tracker.master(key(cr));
    // Only what the daemons agree on now may decide which pod to keep or replace: a recorded
    // master may be stale (a failover while no operator ran).
    String elected = agreed.flatMap(m -> endpoints.podFor(cr, m, pods)).orElse(null);
    String recorded = cr.getStatus() == null ? null : cr.getStatus().master;
    if (elected != null && !elected.equals(recorded)) {
      status.masterChanged(cr, elected, agreed.get().toString());
    }
    ModelInput in = new ModelInput(cr, password, elected != null ? elected : shownMaster(cr, recorded),
        daemonImage);

    StatefulSet current = client.apps().statefulSets().inNamespace(ns).withName(Names.statefulSet(cr)).get();
    int currentReplicas = current == null || current.getSpec().getReplicas() == null ? 0
        : current.getSpec().getReplicas();
    String holding = holdScaleIn(cr, pods, elected, currentReplicas, password);
    if (holding == null) {
      followScaleAcrossOnePod(cr, pods, currentReplicas, password);
    }
    if (cr.getSpec().replicas >= currentReplicas) {
      restorePriorities(cr, pods, password);
    }

    DesiredState desired = DesiredState.of(in);
    for (HasMetadata o : desired.objects()) {
      if (holding != null && o instanceof StatefulSet s) {
        s.getSpec().setReplicas(currentReplicas);
      }
      applyIfChanged(o);
    }
    for (DesiredState.Absent a : desired.absent()) {
      HasMetadata gone = client.resources(a.kind()).inNamespace(ns).withName(a.name()).get();
      if (gone != null && isOwned(cr, gone)) {
        applier.delete(gone);
      }
    }
    // A roll waits while the size changes: both remove pods, and only one may at a time.
    String rolling = holding != null || current == null ? null : currentReplicas != cr.getSpec().replicas
        ? "rolling changes wait until scaling to " + cr.getSpec().replicas + " is done"
        : roll(cr, pods, elected);
    if (holding == null && rolling == null && currentReplicas == cr.getSpec().replicas) {
      forgetRemoved(cr, pods, in);
    }
    status.observed(cr, pods, elected != null ? elected : recorded,
        tracker.disagreement(key(cr)).orElse(null), holding != null ? holding : rolling);
  }

  /**
   * Where the write Service points while the daemons have not (yet) agreed, e.g. just after
   * the operator started: where it points now, so it does not flap; else the recorded master;
   * else null (a new cluster: pod 0 bootstraps).
   */
  private String shownMaster(ValkeyCluster cr, String recorded) {
    io.fabric8.kubernetes.api.model.Service write = client.services()
        .inNamespace(cr.getMetadata().getNamespace()).withName(Names.writeService(cr)).get();
    if (write != null && write.getSpec().getSelector() != null
        && write.getSpec().getSelector().get(Labels.POD_NAME) != null) {
      return write.getSpec().getSelector().get(Labels.POD_NAME);
    }
    return recorded;
  }

  /**
   * min-replicas-to-write is on while there are replicas to write to. A node reads it at start
   * from the ConfigMap; when the size crosses one pod, running nodes are told at once (a lone
   * master with it on would refuse every write), which spares them a restart.
   */
  private void followScaleAcrossOnePod(ValkeyCluster cr, List<Pod> pods, int currentReplicas,
      String password) {
    int wanted = cr.getSpec().replicas;
    if (currentReplicas == 0 || (currentReplicas > 1) == (wanted > 1)
        || cr.getSpec().config.containsKey("min-replicas-to-write")) {
      return;
    }
    String value = wanted > 1 ? "1" : "0";
    for (Pod p : pods) {
      if (Names.ordinal(cr, p.getMetadata().getName()) < wanted && reachableNode(p)) {
        commands.configSet(endpoints.node(cr, p), password, "min-replicas-to-write", value,
            "min-replicas-max-lag", "10");
      }
    }
  }

  /**
   * Marks an object with a hash of everything the operator wants in it, so that a field the spec
   * no longer asks for (an annotation, a toleration) also counts as a change: the subset check
   * below only sees fields that are missing or different, never fields that should go.
   */
  static final String APPLIED_HASH = "vigil.dev/applied-hash";

  /** Writes an object only when the server's copy lacks something we want. */
  void applyIfChanged(HasMetadata desired) {
    String hash = sha256(client.getKubernetesSerialization().asJson(desired));
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    desired.getMetadata().getAnnotations().put(APPLIED_HASH, hash);
    HasMetadata existing = client.resource(desired).get();
    if (existing != null && JsonSubset.contains(json(existing), json(desired))) {
      return;
    }
    log.info("{} {}/{}: {}", desired.getKind(), desired.getMetadata().getNamespace(),
        desired.getMetadata().getName(), existing == null ? "creating" : "updating");
    applier.apply(desired);
  }

  private static String sha256(String text) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode json(Object o) {
    return client.getKubernetesSerialization().convertValue(o, JsonNode.class);
  }

  private static boolean isOwned(ValkeyCluster cr, HasMetadata o) {
    return o.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> r.getUid() != null && r.getUid().equals(cr.getMetadata().getUid()));
  }

  /** The Secret the spec names is missing, or lacks the key. */
  static final class MissingSecret extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingSecret(String message) {
      super(message);
    }
  }

  /** The password in the existing Secret, or a new one for a cluster that has none yet. */
  private String password(ValkeyCluster cr) {
    Secret s = client.secrets().inNamespace(cr.getMetadata().getNamespace())
        .withName(AuthSecretModel.secretName(cr)).get();
    String key = AuthSecretModel.secretKey(cr);
    if (s != null && s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (s != null && s.getStringData() != null && s.getStringData().get(key) != null) {
      return s.getStringData().get(key);
    }
    if (cr.getSpec().auth.existingSecret != null) {
      throw new MissingSecret("spec.auth.existingSecret: Secret " + cr.getSpec().auth.existingSecret
          + (s == null ? " does not exist" : " has no key " + key) + " in namespace "
          + cr.getMetadata().getNamespace());
    }
    return passwords.get();
  }

  /**
   * Scale-in never removes the master: while the daemons have not said which pod is master, or
   * while the master's pod is among those to go, the StatefulSet keeps its size (in the second
   * case the daemons are asked for a coordinated switchover). The pods to go get
   * replica-priority 0 first, so no failover during their removal promotes one of them. Returns
   * why it holds, or null.
   */
  private String holdScaleIn(ValkeyCluster cr, List<Pod> pods, String master, int currentReplicas,
      String password) {
    int wanted = cr.getSpec().replicas;
    if (wanted >= currentReplicas) {
      return null;
    }
    if (master == null) {
      return "waiting for the daemons to report the master before scaling in to " + wanted;
    }
    Set<String> done = lowered.computeIfAbsent(key(cr), k -> ConcurrentHashMap.newKeySet());
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      if (Names.ordinal(cr, name) >= wanted && !done.contains(name) && reachableNode(p)
          && commands.replicaPriority(endpoints.node(cr, p), password, 0)) {
        done.add(name);
      }
    }
    if (Names.ordinal(cr, master) < wanted) {
      return null;
    }
    requestSwitchover(cr, pods);
    return "moving the master off " + master + " before scaling in to " + wanted;
  }

  /**
   * A scale-in that was cancelled or shrunk (5 to 1, then back to 3) leaves pods that stay with
   * replica-priority 0: they get their configured priority back, or they could never be
   * promoted. Pods that went are forgotten. (Kept in memory: a restarted operator cannot restore
   * them, but a restarted pod reads its priority from its configuration again.)
   */
  private void restorePriorities(ValkeyCluster cr, List<Pod> pods, String password) {
    Set<String> done = lowered.get(key(cr));
    if (done == null || done.isEmpty()) {
      return;
    }
    String priority = cr.getSpec().config.getOrDefault("replica-priority", "100");
    for (String name : List.copyOf(done)) {
      Optional<Pod> pod = pods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
      if (pod.isEmpty()) {
        done.remove(name);
        continue;
      }
      if (Names.ordinal(cr, name) >= cr.getSpec().replicas) {
        continue; // still on its way out
      }
      if (reachableNode(pod.get()) && commands.configSet(endpoints.node(cr, pod.get()), password,
          "replica-priority", priority)) {
        done.remove(name);
      }
    }
  }

  private static boolean reachableNode(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT));
  }

  private void requestSwitchover(ValkeyCluster cr, List<Pod> pods) {
    long now = clock.millis();
    Long last = lastSwitchover.get(key(cr));
    if (last == null || now - last >= SWITCHOVER_RETRY_MS) {
      lastSwitchover.put(key(cr), now);
      commands.switchover(Names.masterName(cr), endpoints.daemons(cr, pods));
    }
  }

  private void forgetRemoved(ValkeyCluster cr, List<Pod> pods, ModelInput in) {
    long valkeyPods = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).count();
    if (valkeyPods != cr.getSpec().replicas) {
      return;
    }
    long now = clock.millis();
    Long last = lastForget.get(key(cr));
    if (last != null && now - last < FORGET_PERIOD_MS) {
      return;
    }
    lastForget.put(key(cr), now);
    commands.forgetGone(Names.masterName(cr), endpoints.daemons(cr, pods), in.daemons(),
        cr.getSpec().replicas - 1);
  }

  /** The next step of a rolling change; returns what is in progress, or null. */
  private String roll(ValkeyCluster cr, List<Pod> pods, String masterPod) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(cr.getMetadata().getNamespace())
        .withName(Names.statefulSet(cr)).get();
    if (sts == null || sts.getStatus() == null || sts.getStatus().getUpdateRevision() == null) {
      return null;
    }
    List<RollPlan.PodView> views = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .map(p -> new RollPlan.PodView(p.getMetadata().getName(),
            p.getMetadata().getLabels().get("controller-revision-hash"),
            // A terminating pod is on its way out, whatever its Ready condition still says.
            StatusWriter.isReady(p) && p.getMetadata().getDeletionTimestamp() == null))
        .toList();
    RollPlan.Step step = RollPlan.next(views, sts.getStatus().getUpdateRevision(), masterPod,
        cr.getSpec().replicas);
    if (step instanceof RollPlan.Delete d) {
      log.info("{}: replacing pod {} for the new revision", key(cr), d.pod());
      client.pods().inNamespace(cr.getMetadata().getNamespace()).withName(d.pod()).delete();
      return "replacing " + d.pod();
    }
    if (step instanceof RollPlan.SwitchOver s) {
      requestSwitchover(cr, pods);
      return "switching the master off " + s.master() + " before replacing it";
    }
    if (step instanceof RollPlan.Wait w) {
      return "rolling change waits: " + w.reason();
    }
    return null;
  }

  /** The daemons agreed on a new master: move the write Service now, then record it. */
  public void masterElected(ValkeyCluster cr, HostPort master) {
    List<Pod> pods = client.pods().inNamespace(cr.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, cr.getMetadata().getName()).list().getItems();
    Optional<String> pod = endpoints.podFor(cr, master, pods);
    if (pod.isEmpty()) {
      log.warn("{}: the daemons' master {} is no pod of the cluster", key(cr), master);
      return;
    }
    client.services().inNamespace(cr.getMetadata().getNamespace()).withName(Names.writeService(cr))
        .edit(s -> {
          s.getSpec().getSelector().put(Labels.POD_NAME, pod.get());
          return s;
        });
    status.masterChanged(cr, pod.get(), master.toString());
  }

  /** Best-effort cleanup where no garbage collector runs (the owner references do it otherwise). */
  public void deleted(ValkeyCluster cr) {
    tracker.forget(key(cr));
    lowered.remove(key(cr));
    String ns = cr.getMetadata().getNamespace();
    String instance = cr.getMetadata().getName();
    for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class,
        io.fabric8.kubernetes.api.model.apps.Deployment.class,
        io.fabric8.kubernetes.api.model.Service.class, io.fabric8.kubernetes.api.model.ConfigMap.class,
        Secret.class, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
        io.fabric8.kubernetes.api.model.ServiceAccount.class)) {
      for (HasMetadata o : client.resources(kind).inNamespace(ns).withLabel(Labels.INSTANCE, instance)
          .withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list().getItems()) {
        if (isOwned(cr, o)) {
          applier.delete(o);
        }
      }
    }
  }
}
