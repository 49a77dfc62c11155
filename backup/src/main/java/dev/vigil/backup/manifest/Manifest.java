package dev.vigil.backup.manifest;

import java.time.Duration;
import java.time.Instant;

/**
 * What a backup is, written as JSON beside the RDB object once that object is complete. The
 * manifest is the commit point: no manifest, no backup. Its JSON has these fields in this order
 * ({@link ManifestJson}).
 *
 * @param format manifest format, {@value #FORMAT}
 * @param id backup id (the object key's last part without {@code .rdb})
 * @param cluster the cluster (group) name given to the agent, or the node's address
 * @param node {@code host:port} the RDB was taken from
 * @param role {@code master} or {@code replica}, as the node reported it
 * @param replid the replication id of {@code +FULLRESYNC}
 * @param offset the replication offset the RDB is consistent with
 * @param server {@code valkey} or {@code redis}
 * @param serverVersion the server's version
 * @param rdbVersion the RDB header, e.g. {@code REDIS0011} or {@code VALKEY080}
 * @param size the object's size in bytes
 * @param sha256 the object's SHA-256, lowercase hex
 * @param crc64 the RDB's own CRC-64 trailer (hex), or null when the server writes none
 * @param bucket bucket of the object
 * @param key key of the RDB object
 * @param startedAt when the agent asked for the RDB
 * @param finishedAt when the object was complete
 * @param agent the agent's name and version
 */
public record Manifest(String format, String id, String cluster, String node, String role,
    String replid, long offset, String server, String serverVersion, String rdbVersion, long size,
    String sha256, String crc64, String bucket, String key, Instant startedAt, Instant finishedAt,
    String agent) {

  public static final String FORMAT = "vigil-backup/1";

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }
}
