package dev.vigil.backup.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where backups live and how to get in.
 *
 * @param endpoint S3-compatible endpoint, or null for AWS's own (from the region)
 * @param region signing region; S3-compatible stores mostly accept any, {@code us-east-1} default
 * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 *     (most S3-compatible stores need it)
 * @param accessKey explicit access key, or null for the AWS default credential chain
 *     (environment, web identity / IRSA, profile, container and instance roles)
 * @param secretKey explicit secret key, with {@code accessKey}
 * @param caFile PEM file of CAs to trust for the endpoint's TLS certificate, or null for the JVM's
 * @param apiCallTimeout bound on one S3 call, retries included
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, String accessKey,
    String secretKey, Path caFile, Duration apiCallTimeout) {

  /** The store, as failures name it: the endpoint, or AWS's in the region. */
  public String where() {
    return endpoint != null ? endpoint.toString() : "AWS's endpoint for " + region;
  }
}
