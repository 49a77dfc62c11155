package dev.vigil.backup.it;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API in the test JVM: S3Proxy over jclouds' in-memory ("transient") store, on a free
 * loopback port, with signature checking on. A fresh one for every test; {@link #client()} is an
 * SDK client for the test's own checks.
 */
public final class S3Fixture implements BeforeEachCallback, AfterEachCallback {
  public static final String ACCESS = "vigil-access";
  public static final String SECRET = "vigil-secret-key";
  public static final String BUCKET = "backups";

  private BlobStoreContext context;
  private FaultyBlobStore store;
  private S3Proxy proxy;
  private S3Client client;
  private int port;

  @Override
  public void beforeEach(ExtensionContext ctx) throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials(ACCESS, SECRET)
        .build(BlobStoreContext.class);
    store = new FaultyBlobStore(context.getBlobStore());
    proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> proxy.getState().equals("STARTED"));
    port = proxy.getPort();
    client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @Override
  public void afterEach(ExtensionContext ctx) throws Exception {
    if (client != null) {
      client.close();
    }
    stop();
    if (context != null) {
      context.close();
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public S3Client client() {
    return client;
  }

  public void failPartsFrom(int partNumber) {
    store.failPartsFrom(partNumber);
  }

  /** Parts from this number are read in full, then held until {@link #releaseParts}. */
  public void holdPartsFrom(int partNumber) {
    store.holdPartsFrom(partNumber);
  }

  public int partsHeld() {
    return store.partsHeld();
  }

  public void releaseParts() {
    store.releaseParts();
  }

  /** Objects other than manifests download at this many bytes per second (0: at full speed). */
  public void trickleDownloads(int bytesPerSecond) {
    store.trickleDownloads(bytesPerSecond);
  }

  public void stop() throws Exception {
    if (proxy != null && !proxy.getState().equals("STOPPED")) {
      proxy.stop();
    }
  }

  /** The S3 options every command takes, pointing here. */
  public List<String> args() {
    return List.of("--s3-endpoint", endpoint().toString(), "--path-style", "--bucket", BUCKET,
        "--access-key", ACCESS, "--secret-key", SECRET, "--region", "us-east-1");
  }

  public List<String> keys(String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key).sorted().collect(Collectors.toList());
  }

  public int uploadsInProgress() {
    return client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
  }

  public byte[] get(String key) {
    return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  public void put(String key, byte[] data) {
    client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
  }
}
