package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * Where backups live: an S3 bucket (AWS or any S3-compatible store) and how to reach it. The
 * backup agent's options ({@code vigil backup --s3-endpoint ... --bucket ...}) are built from it,
 * for backups, deletions and restores alike, so credentials that work for one work for all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Destination {
  @JsonPropertyDescription("S3-compatible endpoint URL, e.g. https://minio.example:9000; AWS S3 when unset.")
  public String endpoint;

  @Required
  @JsonPropertyDescription("Bucket.")
  public String bucket;

  @JsonPropertyDescription("Key prefix inside the bucket, e.g. valkey/orders.")
  public String prefix;

  @JsonPropertyDescription("Signing region; the agent's default (AWS_REGION, else us-east-1) when unset.")
  public String region;

  @JsonPropertyDescription("Path-style URLs (host/bucket/key): most S3-compatible stores need them.")
  public Boolean pathStyle;

  @JsonPropertyDescription("A Secret with an access key and secret key. Without it the agent uses the "
      + "AWS default chain: web identity (IRSA) of serviceAccountName, or the node's role.")
  public CredentialsSecret credentialsSecret;

  @JsonPropertyDescription("Service account of the agent's pods, for web-identity credentials (IRSA); "
      + "the namespace's default when unset.")
  public String serviceAccountName;

  @JsonPropertyDescription("A Secret holding the CA certificates (PEM) that sign the endpoint's TLS certificate.")
  public CaSecret caSecret;

  /** An access key pair in a Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CredentialsSecret {
    @Required
    @JsonPropertyDescription("Secret name.")
    public String name;

    @Default("accessKeyId")
    @JsonPropertyDescription("Key of the access key id.")
    public String accessKeyIdKey = "accessKeyId";

    @Default("secretAccessKey")
    @JsonPropertyDescription("Key of the secret access key.")
    public String secretAccessKeyKey = "secretAccessKey";
  }

  /** CA certificates in a Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CaSecret {
    @Required
    @JsonPropertyDescription("Secret name.")
    public String name;

    @Default("ca.crt")
    @JsonPropertyDescription("Key of the PEM bundle.")
    public String key = "ca.crt";
  }
}
