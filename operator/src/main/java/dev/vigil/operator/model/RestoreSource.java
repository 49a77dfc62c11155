package dev.vigil.operator.model;

import dev.vigil.operator.api.S3Destination;

/**
 * A restore in progress, as the reconciler resolved it: where the RDB is and the agent image that
 * fetches it; for an in-place restore also the pod it goes into and the restore's id.
 *
 * @param placePod the pod whose volume receives the RDB, or null: pod 0 (a new cluster's bootstrap master)
 * @param id an in-place restore's id: the RDB replaces whatever the volume holds, once per id;
 *     null for a new cluster (only an empty volume receives it)
 * @param deadlineSeconds how long the agent may take (spec.restore.deadlineSeconds; 0: no bound)
 */
public record RestoreSource(S3Destination destination, String key, String image, String placePod, String id,
    long deadlineSeconds) {
  public RestoreSource(S3Destination destination, String key, String image) {
    this(destination, key, image, null, null, 0);
  }

  public RestoreSource withDeadline(long seconds) {
    return new RestoreSource(destination, key, image, placePod, id, seconds);
  }

  public String url() {
    return "s3://" + destination.bucket + "/" + key;
  }

  public RestoreSource inPlace(String pod, String restoreId) {
    return new RestoreSource(destination, key, image, pod, restoreId, deadlineSeconds);
  }
}
