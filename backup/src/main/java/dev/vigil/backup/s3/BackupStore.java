package dev.vigil.backup.s3;

import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The bucket's side of backups: objects, manifests, multipart uploads. */
public final class BackupStore implements AutoCloseable {
  private final S3Client s3;
  private final String bucket;
  private final String where;

  /** {@code where}: the store as failures name it ({@link S3Settings#where}). */
  public BackupStore(S3Client s3, String bucket, String where) {
    this.s3 = s3;
    this.bucket = bucket;
    this.where = where;
  }

  public String bucket() {
    return bucket;
  }

  /** A one-line reason for an S3 failure on this store. */
  public String describe(SdkException e) {
    return S3Errors.describe(e, bucket, where);
  }

  /** Fails (with NoSuchBucket, 403, or unreachable) before any work starts. */
  public void checkBucket() {
    s3.headBucket(b -> b.bucket(bucket));
  }

  public Upload startUpload(String key) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
        .contentType("application/octet-stream")).uploadId();
    return new Upload(key, id);
  }

  public void putManifest(String key, Manifest m) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
        RequestBody.fromBytes(ManifestJson.write(m)));
  }

  public byte[] getBytes(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  public ResponseInputStream<GetObjectResponse> open(String key) {
    return s3.getObject(b -> b.bucket(bucket).key(key));
  }

  public void delete(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key));
  }

  /** Every manifest key under the prefix, oldest id first. */
  public List<String> manifestKeys(String prefix) {
    List<String> keys = new ArrayList<>();
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket)
        .prefix(BackupKeys.listPrefix(prefix)).build();
    for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
      if (o.key().endsWith(BackupKeys.MANIFEST_SUFFIX)) {
        keys.add(o.key());
      }
    }
    keys.sort(null);
    return keys;
  }

  /** Multipart uploads in progress under the prefix (a killed agent's, until aborted). */
  public List<MultipartUpload> uploadsInProgress(String prefix) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(BackupKeys.listPrefix(prefix))).uploads();
  }

  /** Unfinished uploads of exactly this key. */
  public List<MultipartUpload> uploadsOf(String key) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads().stream()
        .filter(u -> u.key().equals(key)).toList();
  }

  public void abort(String key, String uploadId) {
    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
  }

  @Override
  public void close() {
    s3.close();
  }

  /** One multipart upload: parts in order, then complete, or abort. */
  public final class Upload {
    private final String key;
    private final String uploadId;
    private final java.util.Map<Integer, CompletedPart> parts = new java.util.concurrent.ConcurrentSkipListMap<>();

    Upload(String key, String uploadId) {
      this.key = key;
      this.uploadId = uploadId;
    }

    public String key() {
      return key;
    }

    public String uploadId() {
      return uploadId;
    }

    public int parts() {
      return parts.size();
    }

    /** Uploads part {@code number} (1-based): {@code data}'s remaining bytes; thread-safe. */
    public void uploadPart(int number, ByteBuffer data) {
      long length = data.remaining();
      String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
              .partNumber(number).contentLength(length),
          // A fresh stream per attempt, so the SDK's retries resend the part without a copy of it.
          RequestBody.fromContentProvider(
              () -> new ByteBufInputStream(Unpooled.wrappedBuffer(data.duplicate())), length,
              "application/octet-stream")).eTag();
      parts.put(number, CompletedPart.builder().partNumber(number).eTag(etag).build());
    }

    public void complete() {
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(CompletedMultipartUpload.builder().parts(List.copyOf(parts.values())).build()));
    }

    public void abort() {
      BackupStore.this.abort(key, uploadId);
    }
  }
}
