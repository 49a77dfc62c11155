package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Events on the operator's resources; an Event that cannot be written is only logged. */
final class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;
  private final Clock clock;

  EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void record(HasMetadata on, StatusPlan.Event e) {
    String now = Instant.now(clock).toString();
    String ns = on.getMetadata().getNamespace();
    try {
      client.v1().events().inNamespace(ns).resource(new EventBuilder()
          .withNewMetadata().withName(on.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(ns).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(on.getApiVersion())
              .withKind(on.getKind()).withName(on.getMetadata().getName())
              .withNamespace(ns).withUid(on.getMetadata().getUid()).build())
          .withType(e.type()).withReason(e.reason()).withMessage(e.message())
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("vigil-operator").endSource()
          .build()).create();
    } catch (RuntimeException x) {
      log.warn("cannot record event {} on {}/{}: {}", e.reason(), on.getKind(), on.getMetadata().getName(),
          x.toString());
    }
  }
}
