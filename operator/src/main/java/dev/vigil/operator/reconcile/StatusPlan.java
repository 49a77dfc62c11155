package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The next status of a ValkeyCluster, as a pure function of its current one: empty when nothing
 * in it would change (a condition keeps its transition time while its state holds), so an
 * unchanged cluster costs no write; an Event goes with every change worth a person's attention.
 */
final class StatusPlan {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusPlan() {}

  record Event(String type, String reason, String message) {}

  /** A status to write, and the Events that go with it. */
  record Change(ValkeyClusterStatus status, List<Event> events) {}

  /** The master the daemons elected, when it differs from the recorded one. */
  record MasterChange(String pod, String address) {}

  static boolean isReady(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Optional<Change> invalid(ValkeyCluster cr, List<String> problems, MasterChange elected, String now) {
    String message = String.join("; ", problems);
    List<Event> events = new ArrayList<>();
    return change(cr, s -> {
      master(s, elected, now, events);
      s.phase = "Invalid";
      condition(cr, s, ValkeyClusterStatus.SPEC_INVALID, true, "InvalidSpec", message, now);
      condition(cr, s, ValkeyClusterStatus.READY, false, "InvalidSpec", "the spec is invalid; nothing was applied", now);
    }, events, new Event("Warning", "SpecInvalid", message));
  }

  /**
   * Pods, readiness, conditions, and the master the daemons elected if it changed. {@code master}
   * (elected, else recorded) only shapes the Ready condition.
   */
  static Optional<Change> observed(ValkeyCluster cr, List<Pod> pods, String master, String disagreement,
      String progress, MasterChange elected, String now) {
    return observed(cr, pods, master, disagreement, progress, elected, now, s -> { });
  }

  /** As above, with {@code more} adding what other parts observed (TLS certificates). */
  static Optional<Change> observed(ValkeyCluster cr, List<Pod> pods, String master, String disagreement,
      String progress, MasterChange elected, String now, Consumer<ValkeyClusterStatus> more) {
    List<Pod> valkey = pods.stream()
        .filter(p -> Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
    int ready = (int) valkey.stream().filter(StatusPlan::isReady).count();
    int wanted = cr.getSpec().replicas;
    List<Event> events = new ArrayList<>();
    return change(cr, s -> {
      master(s, elected, now, events);
      s.replicas = valkey.size();
      s.readyReplicas = ready;
      s.selector = Labels.selectorString(cr, Labels.VALKEY);
      boolean allReady = ready == wanted && valkey.size() == wanted && master != null;
      s.phase = allReady && progress == null ? "Ready" : ready == 0 ? "Pending" : allReady ? "Ready" : "Degraded";
      condition(cr, s, ValkeyClusterStatus.SPEC_INVALID, false, "Valid", "the spec is valid", now);
      condition(cr, s, ValkeyClusterStatus.READY, allReady, allReady ? "AllPodsReady" : "PodsNotReady",
          ready + " of " + wanted + " pods ready" + (master == null ? ", no master elected yet" : ", master " + master), now);
      condition(cr, s, ValkeyClusterStatus.PROGRESSING, progress != null,
          progress != null ? "Changing" : "Stable", progress != null ? progress : "nothing in progress", now);
      condition(cr, s, ValkeyClusterStatus.DEGRADED, ready > 0 && ready < wanted,
          ready > 0 && ready < wanted ? "PodsNotReady" : "AsDesired",
          (wanted - ready) + " pod(s) not ready", now);
      condition(cr, s, ValkeyClusterStatus.SPLIT_BRAIN, disagreement != null,
          disagreement != null ? "DaemonsDisagree" : "DaemonsAgree",
          disagreement != null ? disagreement : "the daemons agree on the master", now);
      more.accept(s);
    }, events, null);
  }

  /** Records a master the daemons elected, with its Event and failover record. */
  private static void master(ValkeyClusterStatus s, MasterChange elected, String now, List<Event> events) {
    if (elected == null || (elected.pod().equals(s.master) && elected.address().equals(s.masterAddress))) {
      return;
    }
    String before = s.master;
    s.master = elected.pod();
    s.masterAddress = elected.address();
    if (before != null && !before.equals(elected.pod())) {
      s.lastFailover = new ValkeyClusterStatus.FailoverRecord(now, before, elected.pod());
    }
    if (!elected.pod().equals(before)) {
      events.add(new Event("Normal", "MasterChanged", before == null
          ? "the daemons report " + elected.pod() + " (" + elected.address() + ") as master"
          : "the daemons elected " + elected.pod() + " (" + elected.address() + ") master in place of "
              + before + "; the write Service follows"));
    }
  }

  private static Optional<Change> change(ValkeyCluster cr, Consumer<ValkeyClusterStatus> edit,
      List<Event> events, Event onChange) {
    ValkeyClusterStatus before = cr.getStatus() == null ? new ValkeyClusterStatus() : cr.getStatus();
    ValkeyClusterStatus after = JSON.convertValue(before, ValkeyClusterStatus.class);
    if (after.conditions == null) {
      after.conditions = new ArrayList<>();
    }
    edit.accept(after);
    after.observedGeneration = cr.getMetadata().getGeneration();
    if (JSON.asJson(before).equals(JSON.asJson(after))) {
      return Optional.empty();
    }
    List<Event> all = new ArrayList<>(events);
    if (onChange != null) {
      all.add(onChange);
    }
    return Optional.of(new Change(after, List.copyOf(all)));
  }

  static void condition(ValkeyCluster cr, ValkeyClusterStatus s, String type, boolean on, String reason,
      String message, String now) {
    String state = on ? "True" : "False";
    Condition existing = s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing != null && state.equals(existing.getStatus()) && Objects.equals(reason, existing.getReason())
        && Objects.equals(message, existing.getMessage())) {
      existing.setObservedGeneration(cr.getMetadata().getGeneration());
      return;
    }
    String since = existing != null && state.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now;
    Condition c = new ConditionBuilder().withType(type).withStatus(state).withReason(reason)
        .withMessage(message).withLastTransitionTime(since)
        .withObservedGeneration(cr.getMetadata().getGeneration()).build();
    s.conditions.removeIf(x -> type.equals(x.getType()));
    s.conditions.add(c);
  }
}
