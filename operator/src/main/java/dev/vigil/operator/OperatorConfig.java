package dev.vigil.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The operator's settings, from environment variables (the Helm chart sets them):
 * <ul>
 *   <li>{@code VIGIL_OPERATOR_NAMESPACES}: comma-separated namespaces to watch; empty = all.
 *   <li>{@code VIGIL_OPERATOR_METRICS_PORT}: /metrics, /healthz, /readyz (default 8080).
 *   <li>{@code POD_NAMESPACE}, {@code POD_NAME}: where the leader-election Lease lives, and this
 *       replica's identity in it (default: namespace "default", the host name).
 *   <li>{@code VIGIL_OPERATOR_LEASE_NAME}: the Lease (default "vigil-operator-leader").
 *   <li>{@code VIGIL_OPERATOR_LEADER_ELECTION}: "false" to run without (a single replica).
 *   <li>{@code VIGIL_OPERATOR_DAEMON_IMAGE}: daemon image for clusters that name none.
 *   <li>{@code VIGIL_OPERATOR_BACKUP_IMAGE}: the backup agent's image, run by ValkeyBackup Jobs and
 *       restore init containers (default: the daemon image's repository with {@code -backup}
 *       appended to its name, same tag: {@code ghcr.io/vigil-dev/vigil-backup:0.1.0}).
 *   <li>{@code VIGIL_OPERATOR_RESYNC}: full re-reconcile period (default 60s), for drift that no
 *       watch event reports; it reads the informers' caches and writes nothing unless something
 *       differs.
 *   <li>{@code VIGIL_OPERATOR_WORKERS}: clusters reconciled at once (default 4); one cluster is
 *       never reconciled by two workers at once.
 * </ul>
 */
public record OperatorConfig(List<String> namespaces, int metricsPort, String leaseNamespace,
    String identity, String leaseName, boolean leaderElection, String daemonImage,
    Duration resync, int workers, String backupImage) {

  public static final String DEFAULT_DAEMON_IMAGE = "ghcr.io/vigil-dev/vigil:0.1.0";

  public static OperatorConfig from(Map<String, String> env) {
    String ns = env.getOrDefault("VIGIL_OPERATOR_NAMESPACES", "").strip();
    List<String> namespaces = ns.isEmpty() ? List.of()
        : Arrays.stream(ns.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "vigil-operator"));
    return new OperatorConfig(namespaces,
        Integer.parseInt(env.getOrDefault("VIGIL_OPERATOR_METRICS_PORT", "8080")),
        env.getOrDefault("POD_NAMESPACE", "default"),
        identity,
        env.getOrDefault("VIGIL_OPERATOR_LEASE_NAME", "vigil-operator-leader"),
        !"false".equalsIgnoreCase(env.getOrDefault("VIGIL_OPERATOR_LEADER_ELECTION", "true")),
        env.getOrDefault("VIGIL_OPERATOR_DAEMON_IMAGE", DEFAULT_DAEMON_IMAGE),
        Duration.parse("PT" + env.getOrDefault("VIGIL_OPERATOR_RESYNC", "60s").toUpperCase()),
        Math.max(1, Integer.parseInt(env.getOrDefault("VIGIL_OPERATOR_WORKERS", "4"))),
        env.getOrDefault("VIGIL_OPERATOR_BACKUP_IMAGE",
            backupImageBeside(env.getOrDefault("VIGIL_OPERATOR_DAEMON_IMAGE", DEFAULT_DAEMON_IMAGE))));
  }

  /** The backup agent's image beside {@code daemonImage} (see BackupJobModel#imageBeside). */
  static String backupImageBeside(String daemonImage) {
    return dev.vigil.operator.model.BackupJobModel.imageBeside(daemonImage);
  }
}
