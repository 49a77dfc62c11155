package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status and Events of a ValkeyCluster. Status is written only when something in it changed (a
 * condition keeps its transition time while its state holds), so an unchanged cluster costs no
 * writes; an Event goes with every change worth a person's attention.
 */
public final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private final KubernetesClient client;
  private final Clock clock;

  StatusWriter(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  static boolean isReady(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  void invalid(ValkeyCluster cr, List<String> problems) {
    String message = String.join("; ", problems);
    write(cr, s -> {
      s.phase = "Invalid";
      condition(cr, s, ValkeyClusterStatus.SPEC_INVALID, true, "InvalidSpec", message);
      condition(cr, s, ValkeyClusterStatus.READY, false, "InvalidSpec", "the spec is invalid; nothing was applied");
    }, "Warning", "SpecInvalid", message);
  }

  /**
   * Pods, readiness and conditions. {@code master} (elected, else recorded) only shapes the Ready
   * condition: status.master is written by {@link #masterChanged}, with its Event and failover
   * record, from what the daemons agreed.
   */
  void observed(ValkeyCluster cr, List<Pod> pods, String master, String disagreement, String progress) {
    List<Pod> valkey = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
    int ready = (int) valkey.stream().filter(StatusWriter::isReady).count();
    int wanted = cr.getSpec().replicas;
    write(cr, s -> {
      s.replicas = valkey.size();
      s.readyReplicas = ready;
      s.selector = Labels.selectorString(cr, Labels.VALKEY);
      boolean allReady = ready == wanted && valkey.size() == wanted && master != null;
      s.phase = allReady && progress == null ? "Ready" : ready == 0 ? "Pending" : allReady ? "Ready" : "Degraded";
      condition(cr, s, ValkeyClusterStatus.SPEC_INVALID, false, "Valid", "the spec is valid");
      condition(cr, s, ValkeyClusterStatus.READY, allReady, allReady ? "AllPodsReady" : "PodsNotReady",
          ready + " of " + wanted + " pods ready" + (master == null ? ", no master elected yet" : ", master " + master));
      condition(cr, s, ValkeyClusterStatus.PROGRESSING, progress != null,
          progress != null ? "Changing" : "Stable", progress != null ? progress : "nothing in progress");
      condition(cr, s, ValkeyClusterStatus.DEGRADED, ready > 0 && ready < wanted,
          ready > 0 && ready < wanted ? "PodsNotReady" : "AsDesired",
          (wanted - ready) + " pod(s) not ready");
      condition(cr, s, ValkeyClusterStatus.SPLIT_BRAIN, disagreement != null,
          disagreement != null ? "DaemonsDisagree" : "DaemonsAgree",
          disagreement != null ? disagreement : "the daemons agree on the master");
    }, null, null, null);
  }

  /** Records a master the daemons elected, with an Event. */
  void masterChanged(ValkeyCluster cr, String pod, String address) {
    ValkeyCluster fresh = client.resources(ValkeyCluster.class).inNamespace(cr.getMetadata().getNamespace())
        .withName(cr.getMetadata().getName()).get();
    if (fresh == null) {
      return;
    }
    String before = fresh.getStatus() == null ? null : fresh.getStatus().master;
    if (pod.equals(before) && fresh.getStatus() != null && address.equals(fresh.getStatus().masterAddress)) {
      return;
    }
    write(fresh, s -> {
      s.master = pod;
      s.masterAddress = address;
      if (before != null && !before.equals(pod)) {
        s.lastFailover = new ValkeyClusterStatus.FailoverRecord(now(), before, pod);
      }
    }, "Normal", "MasterChanged", before == null ? "the daemons report " + pod + " (" + address + ") as master"
        : "the daemons elected " + pod + " (" + address + ") master in place of " + before
            + "; the write Service follows");
  }

  private interface Change {
    void apply(ValkeyClusterStatus s);
  }

  private void write(ValkeyCluster cr, Change change, String eventType, String reason, String message) {
    ValkeyCluster latest = client.resources(ValkeyCluster.class).inNamespace(cr.getMetadata().getNamespace())
        .withName(cr.getMetadata().getName()).get();
    if (latest == null) {
      return;
    }
    ValkeyClusterStatus before = latest.getStatus() == null ? new ValkeyClusterStatus() : latest.getStatus();
    ValkeyClusterStatus after = client.getKubernetesSerialization()
        .convertValue(before, ValkeyClusterStatus.class);
    if (after.conditions == null) {
      after.conditions = new ArrayList<>();
    }
    change.apply(after);
    after.observedGeneration = latest.getMetadata().getGeneration();
    String a = client.getKubernetesSerialization().asJson(before);
    String b = client.getKubernetesSerialization().asJson(after);
    if (a.equals(b)) {
      return;
    }
    latest.setStatus(after);
    client.resources(ValkeyCluster.class).inNamespace(cr.getMetadata().getNamespace()).resource(latest)
        .updateStatus();
    if (reason != null) {
      event(latest, eventType, reason, message);
    }
  }

  private void condition(ValkeyCluster cr, ValkeyClusterStatus s, String type, boolean on, String reason,
      String message) {
    String state = on ? "True" : "False";
    Condition existing = s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing != null && state.equals(existing.getStatus()) && Objects.equals(reason, existing.getReason())
        && Objects.equals(message, existing.getMessage())) {
      existing.setObservedGeneration(cr.getMetadata().getGeneration());
      return;
    }
    String since = existing != null && state.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now();
    Condition c = new ConditionBuilder().withType(type).withStatus(state).withReason(reason)
        .withMessage(message).withLastTransitionTime(since)
        .withObservedGeneration(cr.getMetadata().getGeneration()).build();
    s.conditions.removeIf(x -> type.equals(x.getType()));
    s.conditions.add(c);
  }

  void event(ValkeyCluster cr, String type, String reason, String message) {
    try {
      client.v1().events().inNamespace(cr.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(cr.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(cr.getMetadata().getNamespace()).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(cr.getApiVersion())
              .withKind(cr.getKind()).withName(cr.getMetadata().getName())
              .withNamespace(cr.getMetadata().getNamespace()).withUid(cr.getMetadata().getUid()).build())
          .withType(type).withReason(reason).withMessage(message)
          .withFirstTimestamp(now()).withLastTimestamp(now()).withCount(1)
          .withNewSource().withComponent("vigil-operator").endSource()
          .build()).create();
    } catch (RuntimeException e) {
      log.warn("cannot record event {} on {}: {}", reason, cr.getMetadata().getName(), e.toString());
    }
  }

  private String now() {
    return Instant.now(clock).toString();
  }
}
