package dev.vigil.backup.s3;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the S3 client for {@link S3Settings}. */
public final class S3Clients {
  private S3Clients() {}

  public static S3Client build(S3Settings s) throws IOException {
    UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
    if (s.caFile() != null) {
      TrustManager[] trust = trustManagers(s.caFile());
      http.tlsTrustManagersProvider(() -> trust);
    }
    var b = S3Client.builder()
        .httpClientBuilder(http)
        .region(Region.of(s.region()))
        .credentialsProvider(credentials(s))
        // No "Expect: 100-continue" on uploads: HttpURLConnection handles it poorly (an error
        // before the body can lose S3's error code; a proxy that never answers it costs a read
        // timeout per part), and a refused part costs one part's bytes at most.
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle())
            .expectContinueEnabled(false).build())
        // Since 2.30 the SDK adds checksums by default that many S3-compatible stores reject;
        // integrity is ours anyway (SHA-256 in the manifest, the RDB's own CRC-64).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.apiCallTimeout(s.apiCallTimeout()));
    if (s.endpoint() != null) {
      b.endpointOverride(s.endpoint());
    }
    return b.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings s) {
    if (s.accessKey() != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** Refusals name the certificate and the setting to fix, as the node links' do. */
  private static final dev.vigil.resp3.tls.PeerCertificateException.Hints HINTS =
      new dev.vigil.resp3.tls.PeerCertificateException.Hints("--s3-ca-file",
          "against the host of --s3-endpoint");

  private static TrustManager[] trustManagers(java.nio.file.Path pem) throws IOException {
    try {
      return new TrustManager[] {dev.vigil.resp3.tls.DescribingTrustManager.trusting(
          dev.vigil.resp3.tls.DescribingTrustManager.certificates(pem), HINTS)};
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read CA certificates from " + pem + ": " + e.getMessage(), e);
    }
  }
}
