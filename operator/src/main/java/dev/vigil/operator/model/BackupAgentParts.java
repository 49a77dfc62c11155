package dev.vigil.operator.model;

import dev.vigil.operator.api.S3Destination;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How every container running the backup agent reaches S3 (the backup Job, the Job deleting a
 * backup's objects, the restore init container): one rule, so credentials and CA that work for a
 * backup work for its restore. Secrets go in by reference (environment from Secret keys, a
 * mounted CA), never into a manifest.
 */
public final class BackupAgentParts {
  static final String CA_VOLUME = "s3-ca";
  static final String CA_DIR = "/etc/vigil/s3-ca";

  private BackupAgentParts() {}

  /** {@code --s3-endpoint --bucket --region --path-style --s3-ca-file} as the destination says. */
  public static List<String> s3Args(S3Destination d) {
    List<String> a = new ArrayList<>();
    if (d.endpoint != null && !d.endpoint.isBlank()) {
      a.add("--s3-endpoint");
      a.add(d.endpoint);
    }
    a.add("--bucket");
    a.add(d.bucket);
    if (d.region != null && !d.region.isBlank()) {
      a.add("--region");
      a.add(d.region);
    }
    if (Boolean.TRUE.equals(d.pathStyle)) {
      a.add("--path-style");
    }
    if (d.caSecret != null) {
      a.add("--s3-ca-file");
      a.add(CA_DIR + "/" + d.caSecret.key);
    }
    return a;
  }

  /** The explicit keys, when a Secret holds them; otherwise the AWS default chain applies. */
  public static List<EnvVar> s3Env(S3Destination d) {
    if (d.credentialsSecret == null) {
      return List.of();
    }
    return List.of(secretEnv("VIGIL_S3_ACCESS_KEY", d.credentialsSecret.name, d.credentialsSecret.accessKeyIdKey),
        secretEnv("VIGIL_S3_SECRET_KEY", d.credentialsSecret.name, d.credentialsSecret.secretAccessKeyKey));
  }

  /** The CA Secret as a directory (never a subPath mount, which would miss a rotation). */
  public static Optional<Volume> caVolume(S3Destination d) {
    return d.caSecret == null ? Optional.empty() : Optional.of(new VolumeBuilder().withName(CA_VOLUME)
        .withNewSecret().withSecretName(d.caSecret.name).endSecret().build());
  }

  public static Optional<VolumeMount> caMount(S3Destination d) {
    return d.caSecret == null ? Optional.empty() : Optional.of(new VolumeMountBuilder().withName(CA_VOLUME)
        .withMountPath(CA_DIR).withReadOnly(true).build());
  }

  static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
  }

  /** The bucket key prefix: the destination's, without a trailing slash. */
  public static String prefix(S3Destination d) {
    String p = d.prefix == null ? "" : d.prefix.strip();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
