package dev.vigil.backup.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One-line reasons for S3 failures, naming what to check. */
public final class S3Errors {
  private S3Errors() {}

  /**
   * @param where the store, for a failure to reach it ({@link S3Settings#where}): the HTTP client's
   *     own message does not always name the host
   */
  public static String describe(SdkException e, String bucket, String where) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      if ("NoSuchBucket".equals(code)) {
        return "bucket " + bucket + " does not exist";
      }
      if ("NoSuchKey".equals(code) || status == 404) {
        return "no such object in bucket " + bucket;
      }
      if (status == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
          || "AccessDenied".equals(code)) {
        return "S3 refused the credentials or their rights on bucket " + bucket + " ("
            + (code == null ? "HTTP " + status : code) + ")";
      }
      return "S3 error " + (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
          + firstLine(s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage());
    }
    if (e instanceof SdkClientException) {
      return "cannot reach S3 at " + where + ": " + firstLine(e.getMessage());
    }
    return "S3 failed: " + firstLine(e.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
