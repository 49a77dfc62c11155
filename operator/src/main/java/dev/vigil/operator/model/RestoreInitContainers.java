package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod-spec and configuration parts of restoring a new cluster, present only while the
 * restore is in progress (the reconciler drops them once the master has loaded, which rolls the
 * pods once onto the plain template).
 *
 * <p>Every pod runs, after {@code init-node}: {@code restore} (the agent's image: {@code vigil
 * restore} into an emptyDir, verifying SHA-256 and the RDB's CRC-64) and {@code restore-place}
 * (the Valkey image's shell): only in the bootstrap master's pod, and only on a fresh volume, it
 * copies the RDB into the data directory (temp file, then rename) and leaves a marker. As long
 * as the marker is there and no AOF exists yet, it appends {@code appendonly no} to the node's
 * generated valkey.conf, so that the RDB is what loads, even after a restart (Valkey with
 * {@code appendonly yes} and no AOF would start empty). The reconciler turns AOF on with
 * {@code CONFIG SET appendonly yes} once the master has loaded, if the configuration asks for
 * it. In place ({@link RestoreSource#id()} set) the pod is the running cluster's master and the
 * RDB replaces what its volume holds, AOF included, once per restore id. The agent's image has
 * no shell, hence the second container; a replica's download is
 * wasted (it syncs from the master), the price of one pod template for all pods.
 *
 * <p>Failovers are held meanwhile: the configuration gives every node {@code replica-priority 0}
 * (no replica can be promoted while the replicas are still empty), which the roll afterwards
 * undoes.
 */
public final class RestoreInitContainers {
  static final String VOLUME = "restore";
  static final String DIR = "/restore";
  /** On the data volume: this node's data came from a restore. */
  public static final String MARKER = ".vigil-restored";

  private RestoreInitContainers() {}

  /** Adds the restore's init containers and volume to a pod spec, when a restore is in progress. */
  static void addTo(ModelInput in, PodSpecBuilder b) {
    RestoreSource r = in.restore();
    if (r == null) {
      return;
    }
    b.addAllToInitContainers(containers(in, r));
    b.addNewVolume().withName(VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
  }

  /** valkey.conf lines while a restore is in progress (after the user's: the last one wins). */
  static String configOverride(ModelInput in) {
    return in.restore() == null ? "" : "# restore in progress: no promotion until the master has loaded\n"
        + "replica-priority 0\n";
  }

  private static List<Container> containers(ModelInput in, RestoreSource r) {
    ValkeyCluster c = in.cluster();
    String dbfilename = c.getSpec().config.getOrDefault("dbfilename", "dump.rdb");
    String aofdir = c.getSpec().config.getOrDefault("appenddirname", "appendonlydir");
    List<String> args = new ArrayList<>(List.of("restore", "--key", r.key(), "--dir", DIR,
        "--dbfilename", dbfilename));
    if (r.deadlineSeconds() > 0) {
      args.addAll(List.of("--deadline-s", Long.toString(r.deadlineSeconds())));
    }
    args.addAll(BackupAgentParts.s3Args(r.destination()));
    ContainerBuilder fetch = new ContainerBuilder().withName("restore").withImage(r.image()).withArgs(args)
        .withEnv(BackupAgentParts.s3Env(r.destination()))
        .withResources(BackupJobModel.AGENT_DEFAULT)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(PodParts.restricted())
        .addNewVolumeMount().withName(VOLUME).withMountPath(DIR).endVolumeMount();
    BackupAgentParts.caMount(r.destination()).ifPresent(fetch::addToVolumeMounts);
    // Names reach the script as environment variables, never spliced into it.
    String script = String.join("\n",
        "set -e",
        "rm -f /data/.restore.tmp",
        "fresh=no; [ ! -e /data/" + MARKER + " ] && [ ! -e \"/data/$DBFILENAME\" ] && [ ! -e \"/data/$AOFDIR\" ] && fresh=yes",
        // In place (RESTORE_ID set): whatever the volume holds, once per id (the marker keeps it).
        "again=no; [ -n \"$RESTORE_ID\" ] && [ \"$(cat /data/" + MARKER + " 2>/dev/null)\" != \"$RESTORE_ID\" ] && again=yes",
        "if [ \"$POD_NAME\" = \"$BOOTSTRAP_POD\" ] && { [ $fresh = yes ] || [ $again = yes ]; }; then",
        "  cp \"" + DIR + "/$DBFILENAME\" /data/.restore.tmp",
        "  sync /data/.restore.tmp 2>/dev/null || sync",
        // Without its AOF the node loads the RDB (appendonly no below); a crash from here on
        // places it again, the marker not being written yet.
        "  rm -rf \"/data/$AOFDIR\"",
        "  mv /data/.restore.tmp \"/data/$DBFILENAME\"",
        "  printf '%s' \"$RESTORE_ID\" > /data/" + MARKER,
        "  echo \"restored $SOURCE into /data/$DBFILENAME\"",
        "fi",
        "if [ -e /data/" + MARKER + " ] && [ ! -e \"/data/$AOFDIR\" ]; then",
        "  echo 'appendonly no' >> /data/conf/valkey.conf",
        "fi",
        "");
    Container place = new ContainerBuilder().withName("restore-place").withImage(c.getSpec().effectiveImage())
        .withCommand("sh", "-c", script)
        .withEnv(PodParts.fieldRef("POD_NAME", "metadata.name"), new EnvVar("BOOTSTRAP_POD",
            r.placePod() != null ? r.placePod() : Names.pod(c, 0), null),
            new EnvVar("DBFILENAME", dbfilename, null), new EnvVar("AOFDIR", aofdir, null),
            new EnvVar("SOURCE", r.url(), null))
        .withResources(Resources.DAEMON_DEFAULT)
        .withSecurityContext(PodParts.restricted())
        .addNewVolumeMount().withName(VOLUME).withMountPath(DIR).withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName(StatefulSetModel.DATA).withMountPath("/data").endVolumeMount()
        .build();
    if (r.id() != null) {
      place.getEnv().add(new EnvVar("RESTORE_ID", r.id(), null));
    }
    return List.of(fetch.build(), place);
  }
}
