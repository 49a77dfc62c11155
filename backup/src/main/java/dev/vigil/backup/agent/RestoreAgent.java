package dev.vigil.backup.agent;

import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.backup.rdb.RdbDigest;
import dev.vigil.backup.rdb.RdbSummary;
import dev.vigil.backup.s3.BackupStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Restores a backup into a data directory: reads the manifest (no manifest, no backup), refuses a
 * non-empty directory unless forced, downloads into a temp file beside the target while computing
 * SHA-256 and the RDB's CRC-64, and only when both match the manifest and the RDB's own trailer
 * removes the AOF and renames the file into place.
 */
public final class RestoreAgent {
  private static final Logger log = LoggerFactory.getLogger(RestoreAgent.class);

  private final BackupStore store;

  public RestoreAgent(BackupStore store) {
    this.store = store;
  }

  public Manifest run(RestoreRequest req) throws BackupFailure {
    Manifest m = manifest(req.key());
    DataDir dir = new DataDir(req.dir());
    List<String> present;
    try {
      present = dir.contents();
    } catch (IOException e) {
      throw new BackupFailure("cannot read " + req.dir() + ": " + e.getMessage(), e);
    }
    if (!present.isEmpty() && !req.force()) {
      throw new BackupFailure(req.dir() + " is not empty (" + present.size() + " entries: "
          + String.join(", ", present.subList(0, Math.min(5, present.size())))
          + (present.size() > 5 ? ", ..." : "") + "); pass --force to replace its "
          + req.dbfilename() + " and remove its AOF");
    }
    Path temp = null;
    try {
      temp = dir.newTempFile(req.dbfilename());
      RdbSummary rdb = download(m, temp, req);
      Optional<String> problem = verify(m, rdb);
      if (problem.isPresent()) {
        throw new BackupFailure("refusing s3://" + store.bucket() + "/" + m.key() + ": "
            + problem.get());
      }
      List<String> removed = dir.removeAof(req.appendfilename(), req.appenddirname());
      if (!removed.isEmpty()) {
        log.info("removed the AOF so the restored RDB is what loads: {}", removed);
      }
      Path target = dir.install(temp, req.dbfilename());
      temp = null;
      log.info("restored backup {} ({} from {}, {} at offset {}) into {}", m.id(),
          Progress.size(m.size()), m.node(), m.replid(), m.offset(), target);
      return m;
    } catch (IOException e) {
      throw new BackupFailure("cannot write into " + req.dir() + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("could not remove {}: {}", temp, e.getMessage());
        }
      }
    }
  }

  /** Pure: why a downloaded RDB does not match its manifest, or empty when it does. */
  static Optional<String> verify(Manifest m, RdbSummary rdb) {
    if (rdb.size() != m.size()) {
      return Optional.of("size " + rdb.size() + " differs from the manifest's " + m.size());
    }
    if (!rdb.sha256().equalsIgnoreCase(m.sha256())) {
      return Optional.of("SHA-256 " + rdb.sha256() + " differs from the manifest's " + m.sha256());
    }
    Optional<String> own = rdb.problem();
    if (own.isPresent()) {
      return own;
    }
    if (m.crc64() != null && !m.crc64().equalsIgnoreCase(rdb.crcHex())) {
      return Optional.of("RDB checksum " + rdb.crcHex() + " differs from the manifest's " + m.crc64());
    }
    return Optional.empty();
  }

  private Manifest manifest(String key) throws BackupFailure {
    String manifestKey = BackupKeys.manifestKeyOf(key);
    try {
      return ManifestJson.read(store.getBytes(manifestKey));
    } catch (NoSuchKeyException e) {
      throw new BackupFailure("no manifest at s3://" + store.bucket() + "/" + manifestKey
          + ": not a complete backup", e);
    } catch (SdkException e) {
      throw new BackupFailure(store.describe(e), e);
    } catch (ManifestJson.InvalidManifestException e) {
      throw new BackupFailure("s3://" + store.bucket() + "/" + manifestKey + ": " + e.getMessage(), e);
    }
  }

  /** Buffers the download reads ahead into: receiving overlaps with hashing and writing. */
  static final int READ_AHEAD_BUFFERS = 4;
  static final int READ_AHEAD_SIZE = 1 << 20;

  private RdbSummary download(Manifest m, Path temp, RestoreRequest req) throws IOException,
      BackupFailure {
    RdbDigest digest = new RdbDigest();
    log.info("downloading s3://{}/{} ({}) into {}", store.bucket(), m.key(),
        Progress.size(m.size()), temp);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = store.open(m.key());
    } catch (NoSuchKeyException e) {
      throw new BackupFailure("the manifest names s3://" + store.bucket() + "/" + m.key()
          + ", which does not exist", e);
    } catch (SdkException e) {
      throw new BackupFailure(store.describe(e), e);
    }
    boolean whole = false;
    ProgressReporter progress = new ProgressReporter("restore", m.size(), req.progressEvery());
    // Aborting the response is what ends a read blocked on a store that stalls or trickles: the
    // SDK's socket timeout only catches total silence.
    TransferWatch watch = TransferWatch.start(req.deadline(), req.stallWindow(),
        () -> progress.now().bytes(), in::abort);
    try (watch; progress;
         FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE);
         ReadAhead ahead = new ReadAhead(in, READ_AHEAD_BUFFERS, READ_AHEAD_SIZE, "s3-download")) {
      ReadAhead.Chunk c;
      while ((c = ahead.next()) != null) {
        digest.update(c.data(), 0, c.length());
        ByteBuffer b = ByteBuffer.wrap(c.data(), 0, c.length());
        while (b.hasRemaining()) {
          out.write(b);
        }
        progress.add(c.length());
        ahead.release(c);
      }
      if (watch.why().isPresent() && progress.now().bytes() != m.size()) {
        // The abort ended the stream early (an abort after the last byte changes nothing).
        throw new IOException("aborted");
      }
      whole = true;
      log.info("RDB downloaded; {}", progress.now().line());
    } catch (SdkException | IOException e) {
      if (watch.why().isPresent()) {
        throw new BackupFailure("the download " + watch.why().get() + "; " + progress.now().line(), e);
      }
      if (e instanceof SdkException sdk) {
        throw new BackupFailure(store.describe(sdk), e);
      }
      throw (IOException) e;
    } finally {
      if (!whole) {
        in.abort(); // closing a half-read response would read the rest of it first
      }
      in.close();
    }
    return digest.summary();
  }
}
