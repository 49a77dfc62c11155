package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** The writes every reconciler makes the same way: a status, and a create that may have happened. */
final class StatusWrites {
  private StatusWrites() {}

  /**
   * Writes {@code status} on {@code current} (at {@code version}, or its own when null). The status
   * subresource is the operator's alone: a conflict only means our copy was older than the
   * server's, so it is written again on the newest version. Null when the resource is gone.
   */
  static <P, S, R extends CustomResource<P, S>> R write(KubernetesClient client, Class<R> type,
      R current, String version, S status, Supplier<R> blank) {
    R copy = blank.get();
    ObjectMetaBuilder meta = new ObjectMetaBuilder(current.getMetadata());
    if (version != null) {
      meta.withResourceVersion(version);
    }
    copy.setMetadata(meta.build());
    copy.setSpec(current.getSpec());
    copy.setStatus(status);
    var op = client.resources(type).inNamespace(current.getMetadata().getNamespace());
    try {
      return op.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      R latest = op.withName(current.getMetadata().getName()).get();
      if (latest == null) {
        return null;
      }
      copy.getMetadata().setResourceVersion(latest.getMetadata().getResourceVersion());
      return op.resource(copy).updateStatus();
    }
  }

  /**
   * Creates {@code object}; a 409 means an earlier reconcile created it and its record (a status
   * write) did not land, and the names are chosen so that it is this very object.
   */
  static void createOnce(KubernetesClient client, HasMetadata object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
