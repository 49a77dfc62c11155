package dev.vigil.backup.cli;

import dev.vigil.backup.s3.BackupStore;
import dev.vigil.backup.s3.S3Clients;
import dev.vigil.backup.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the backups are: the same options for backup, restore and backups. */
final class S3Options {
  @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:VIGIL_S3_ENDPOINT}",
      description = "S3-compatible endpoint, e.g. https://minio.example:9000 (default: "
          + "$VIGIL_S3_ENDPOINT, else AWS S3 for the region).")
  URI endpoint;

  @Option(names = "--bucket", required = true, paramLabel = "B", description = "Bucket.")
  String bucket;

  @Option(names = "--region", defaultValue = "${env:AWS_REGION:-us-east-1}",
      description = "Signing region (default: $AWS_REGION, else ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--path-style",
      description = "Path-style URLs (host/bucket/key); most S3-compatible stores need it.")
  boolean pathStyle;

  @Option(names = "--access-key", defaultValue = "${env:VIGIL_S3_ACCESS_KEY}",
      description = "Explicit access key (default: $VIGIL_S3_ACCESS_KEY; without one the AWS "
          + "default chain is used: AWS_* environment, web identity / IRSA, profile, roles).")
  String accessKey;

  @Option(names = "--secret-key", defaultValue = "${env:VIGIL_S3_SECRET_KEY}",
      description = "Secret key for --access-key (default: $VIGIL_S3_SECRET_KEY).")
  String secretKey;

  @Option(names = "--s3-ca-file", paramLabel = "PEM",
      description = "CA certificates (PEM) to trust for the endpoint's TLS certificate.")
  Path caFile;

  @Option(names = "--s3-timeout-s", defaultValue = "300",
      description = "Bound on one S3 call, retries included (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  BackupStore open() throws IOException {
    if (accessKey != null && secretKey == null) {
      throw new IOException("--access-key needs --secret-key (or $VIGIL_S3_SECRET_KEY)");
    }
    S3Settings settings = settings();
    return new BackupStore(S3Clients.build(settings), bucket, settings.where());
  }

  S3Settings settings() {
    return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, caFile,
        Duration.ofSeconds(timeoutSeconds));
  }
}
