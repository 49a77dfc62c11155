package dev.vigil.backup.agent;

import dev.vigil.backup.repl.NodeEndpoint;
import java.time.Duration;

/**
 * One backup to take.
 *
 * @param node the source node
 * @param cluster name recorded in the manifest and used in the backup id; null for the node's address
 * @param prefix key prefix in the bucket
 * @param partSize base multipart part size in bytes (at least 5 MiB)
 * @param uploadThreads parts uploading at once (memory holds one more part than this)
 * @param maxBytesPerSecond rate cap, 0 for none
 * @param progressEvery how often to log progress
 */
public record BackupRequest(NodeEndpoint node, String cluster, String prefix, int partSize,
    int uploadThreads, long maxBytesPerSecond, Duration progressEvery) {

  public String clusterName() {
    return cluster != null && !cluster.isBlank() ? cluster : node.address();
  }
}
