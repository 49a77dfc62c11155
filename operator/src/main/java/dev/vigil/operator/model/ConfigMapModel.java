package dev.vigil.operator.model;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code valkey.conf} (Vigil's directives, then the user's) and {@code vigil.conf} (the daemons'
 * HOCON). The init container copies valkey.conf to the data volume with the replication lines it
 * decides, so CONFIG REWRITE, which Sentinel-style promotion uses, has a writable file.
 */
public final class ConfigMapModel {
  public static final String VALKEY_CONF = "valkey.conf";
  public static final String VIGIL_CONF = "vigil.conf";
  /** HOST:PORT of the master a starting node follows when no daemon answers. */
  public static final String BOOTSTRAP_MASTER = "bootstrap-master";
  /** The daemon's HTTP port (/node-ready, /prestop, /metrics): the daemons' reference default. */
  public static final int DAEMON_HTTP_PORT = 26380;

  private ConfigMapModel() {}

  public static ConfigMap desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> data = new LinkedHashMap<>();
    data.put(VALKEY_CONF, valkeyConf(in));
    data.put(VIGIL_CONF, vigilConf(in));
    data.put(BOOTSTRAP_MASTER, Names.podHost(c, in.masterOrBootstrap()) + ":" + TlsParts.nodeAddressPort(in));
    return new ConfigMapBuilder().withMetadata(Labels.meta(c, Names.configMap(c), Labels.VALKEY))
        .withData(data).build();
  }

  static String valkeyConf(ModelInput in) {
    return valkeyConf(in, in.cluster().getSpec().replicas > 1);
  }

  /**
   * {@code replicated}: whether to add min-replicas-to-write (only where there are replicas to
   * write to). The reconciler sets it on running nodes when a scale crosses one pod, so it is
   * no reason to restart them.
   */
  private static String valkeyConf(ModelInput in, boolean replicated) {
    ValkeyCluster c = in.cluster();
    StringBuilder sb = new StringBuilder("# Written by the Vigil operator; edit spec.config instead.\n");
    sb.append("port ").append(TlsParts.valkeyPlainPort(c)).append('\n');
    sb.append(TlsParts.valkeyConf(in));
    sb.append("bind * -::*\n");
    sb.append("protected-mode no\n");
    sb.append("dir /data\n");
    // Replicas keep serving reads from their last data while the master is away.
    sb.append("replica-serve-stale-data yes\n");
    Map<String, String> user = c.getSpec().config;
    if (!user.containsKey("maxmemory")) {
      long max = Resources.maxmemory(Resources.orDefault(c.getSpec().resources, Resources.VALKEY_DEFAULT));
      if (max > 0) {
        sb.append("maxmemory ").append(max).append('\n');
      }
    }
    if (replicated && !user.containsKey("min-replicas-to-write")) {
      sb.append("min-replicas-to-write 1\nmin-replicas-max-lag ")
          .append(minReplicasMaxLag(c.getSpec().sentinel)).append('\n');
    }
    user.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    sb.append(RestoreInitContainers.configOverride(in));
    return sb.toString();
  }

  /**
   * min-replicas-max-lag, in seconds, for down-after: a master cut off from every replica stops
   * taking writes about when the daemons see it down, before a replica is promoted, rather than
   * 10 s later (Valkey's usual advice) while a failover discards what it accepted meanwhile. Never
   * below 2 s: replicas acknowledge once a second and the lag is counted in whole seconds, so 1
   * would refuse writes on a healthy group's ordinary jitter.
   */
  public static int minReplicasMaxLag(SentinelSpec s) {
    return (int) Math.max(2, (s.downAfterMilliseconds + 999) / 1000);
  }

  static String vigilConf(ModelInput in) {
    return vigilConf(in, in.cluster().getSpec().sentinel.effectiveQuorum(in.daemons()), true);
  }

  /**
   * The {@code failover} block, indented for inside {@code vigil { }}. In sidecar mode, every
   * daemon of the group by the address its peers reach it at (the one its hellos announce), so
   * a daemon that lost its state can end its fresh-identity quarantine as soon as all of them
   * have told it their epoch. The list must never miss a running daemon: it names every pod
   * that may run ({@link ModelInput#listedPods}), and this ConfigMap is applied before the
   * StatefulSet (DesiredState's order), so a pod a scale-out creates finds itself in it.
   */
  static String peersConf(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (!in.sidecar()) {
      return "\n  # No failover.peers: the daemons' pods have no stable addresses, so a daemon that"
          + "\n  # lost its state sits out elections for the whole fresh-identity quarantine.";
    }
    StringBuilder sb = new StringBuilder("\n  failover {"
        + "\n    # Every daemon of the group; read at start only (scaling rolls no pod).\n    peers = [");
    for (int i = 0; i < in.listedPods(); i++) {
      sb.append(i == 0 ? "" : ",").append("\n      \"")
          .append(Names.podHost(c, Names.pod(c, i))).append(':')
          .append(TlsParts.daemonAddressPort(in)).append('"');
    }
    return sb.append("\n    ]\n  }").toString();
  }

  private static String vigilConf(ModelInput in, int quorum, boolean peers) {
    ValkeyCluster c = in.cluster();
    SentinelSpec s = c.getSpec().sentinel;
    String bootstrap = Names.podHost(c, in.masterOrBootstrap());
    return """
        # Written by the Vigil operator; edit spec.sentinel instead. The master below is only where
        # a daemon without state starts looking: its state file and its peers' hellos win.
        vigil {
          port = %d
          http-port = %d%s
          announce-hostnames = true
          resolve-hostnames = true
          state-file = "/data/vigil-state.conf"
          masters {
            "%s" {
              host = "%s"
              port = %d
              quorum = %d
              down-after-milliseconds = %d
              failover-timeout = %d
              parallel-syncs = %d
            }
          }%s
        }
        """.formatted(TlsParts.daemonPlainPort(c), DAEMON_HTTP_PORT, TlsParts.vigilConf(in),
        Names.masterName(c), bootstrap, TlsParts.nodeAddressPort(in), quorum, s.downAfterMilliseconds,
        s.failoverTimeout, s.parallelSyncs, peers ? peersConf(in) : "");
  }

  /**
   * A hash of what a pod's processes read at start, except the bootstrap master (which changes
   * with every failover), the quorum (which changes with the number of pods in sidecar mode,
   * and which the operator sets on running daemons with SENTINEL SET), the peer list (which
   * changes with the number of pods; a running daemon, out of its quarantine, needs no new one)
   * and min-replicas-to-write (on or off with the number of pods; set on running nodes with
   * CONFIG SET): put on the pod template so a config change rolls the pods, and scaling does not.
   */
  public static String configHash(ModelInput in) {
    ModelInput neutral = new ModelInput(in.cluster(), in.password(), null, in.daemonImage(), null, 0,
        in.tlsShape());
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(valkeyConf(neutral, true).getBytes(StandardCharsets.UTF_8));
      d.update(vigilConf(neutral, 0, false).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
