package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;

/**
 * Everything the models need besides the spec, observed by the reconciler: the models stay pure.
 *
 * @param cluster the resource (spec with defaults)
 * @param password the group's password (from the existing or generated Secret)
 * @param masterPod the pod the daemons elected, or the last one recorded, or null for a
 *     brand-new cluster (pod 0 then bootstraps as master)
 * @param daemonImage the daemon image when the spec names none
 * @param restore the restore in progress (spec.restore resolved), or null
 * @param podsAround how many pods may still or already run: the StatefulSet's current size or
 *     the highest existing pod's ordinal + 1, when above spec.replicas (a scale-in under way); 0
 *     when not observed
 * @param tlsShape the shape to build the pods in: the spec's ({@link TlsMode#of(ValkeyCluster)}),
 *     or a phase of a migration between plaintext links and TLS only, which the reconciler
 *     decides from the pods (the cluster is then the phase's, with the plaintext ports kept)
 */
public record ModelInput(ValkeyCluster cluster, String password, String masterPod,
    String daemonImage, RestoreSource restore, int podsAround, TlsMode tlsShape) {

  public ModelInput(ValkeyCluster cluster, String password, String masterPod, String daemonImage,
      RestoreSource restore, int podsAround) {
    this(cluster, password, masterPod, daemonImage, restore, podsAround, TlsMode.of(cluster));
  }

  public ModelInput(ValkeyCluster cluster, String password, String masterPod, String daemonImage) {
    this(cluster, password, masterPod, daemonImage, null);
  }

  public ModelInput(ValkeyCluster cluster, String password, String masterPod, String daemonImage,
      RestoreSource restore) {
    this(cluster, password, masterPod, daemonImage, restore, 0);
  }

  /** The master as far as the models are concerned: the elected one, else pod 0. */
  public String masterOrBootstrap() {
    return masterPod != null ? masterPod : Names.pod(cluster, 0);
  }

  public int port() {
    return cluster.getSpec().port;
  }

  public int sentinelPort() {
    return cluster.getSpec().sentinel.port;
  }

  public boolean sidecar() {
    return cluster.getSpec().sentinel.mode == dev.vigil.operator.api.SentinelSpec.Mode.sidecar;
  }

  /** How many daemons watch the group. */
  public int daemons() {
    return daemons(cluster);
  }

  /** How many daemons watch a cluster's group: one per pod in sidecar mode. */
  public static int daemons(ValkeyCluster c) {
    return c.getSpec().sentinel.mode == dev.vigil.operator.api.SentinelSpec.Mode.sidecar
        ? c.getSpec().replicas : c.getSpec().sentinel.replicas;
  }

  /**
   * The pods whose daemons a sidecar daemon's peer list names: every pod that may run while the
   * list is read, so never fewer than spec.replicas, nor fewer than the pods a scale-in has not
   * removed yet (a list that misses a running daemon would let a quarantine end on a false
   * proof; one naming a pod not there yet only keeps it to its timed end).
   */
  public int listedPods() {
    return Math.max(cluster.getSpec().replicas, podsAround);
  }

  public String effectiveDaemonImage() {
    String i = cluster.getSpec().sentinel.image;
    return i != null && !i.isBlank() ? i : daemonImage;
  }
}
