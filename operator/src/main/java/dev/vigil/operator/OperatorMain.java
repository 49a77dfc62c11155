package dev.vigil.operator;

import dev.vigil.resp3.client.LeakDetection;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.reconcile.ServerSideApplier;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * {@code java -jar operator.jar}: configuration from the environment (see {@link OperatorConfig}),
 * the Kubernetes connection from the usual places (in-cluster service account, or ~/.kube/config).
 */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("""
          vigil operator: runs with no arguments; settings come from the environment:
            VIGIL_OPERATOR_NAMESPACES       comma-separated namespaces to watch (default: all)
            VIGIL_OPERATOR_METRICS_PORT     /metrics, /healthz, /readyz (default 8080)
            VIGIL_OPERATOR_LEADER_ELECTION  false to run a single replica without a Lease
            VIGIL_OPERATOR_LEASE_NAME       the Lease (default vigil-operator-leader)
            POD_NAMESPACE, POD_NAME         the Lease's namespace and this replica's identity
            VIGIL_OPERATOR_DAEMON_IMAGE     daemon image for clusters that name none
            VIGIL_OPERATOR_RESYNC           full re-reconcile period (default 60s)
            VIGIL_OPERATOR_WORKERS          clusters reconciled at once (default 4)
          The Kubernetes API is found as kubectl finds it (in-cluster, or ~/.kube/config).""");
      return;
    }
    LeakDetection.offUnlessAsked();
    OperatorConfig config = OperatorConfig.from(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = new Operator(client, config, new ServerSideApplier(client), Endpoints.POD_IPS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
    }, "shutdown"));
    operator.run();
    if (!config.leaderElection()) {
      Thread.currentThread().join();
    }
  }
}
