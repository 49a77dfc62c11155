package dev.vigil.operator.model;

import dev.vigil.operator.api.S3Destination;

/**
 * A restore in progress, as the reconciler resolved it: where the RDB is and the agent image that
 * fetches it.
 */
public record RestoreSource(S3Destination destination, String key, String image) {
  public String url() {
    return "s3://" + destination.bucket + "/" + key;
  }
}
