package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * The cluster reconciler against fabric8's mock API server, with stand-ins for what does not run
 * there: the daemons' agreed master ({@link FakeMasters}), the commands to nodes and daemons
 * ({@link RecordingCommands}) and the StatefulSet controller. Pod {@code i} gets IP
 * {@code ipPrefix + (10 + i)}. Made again, it is an operator restarted with no memory.
 */
final class MockOperator {
  final FakeMasters masters = new FakeMasters();
  final RecordingCommands commands = new RecordingCommands();
  final ClusterReconciler reconciler;
  final FakeStatefulSetController pods;

  MockOperator(KubernetesClient client, String password, String ipPrefix) {
    reconciler = new ClusterReconciler(new ClusterReconciler.Parts(client, new ApiObjectCache(client),
        new CreateOrReplaceApplier(client), masters, commands, Endpoints.POD_IPS, "vigil:test", () -> password,
        Clock.systemUTC()));
    pods = new FakeStatefulSetController(client, i -> ipPrefix + (10 + i));
  }
}
