package dev.vigil.backup.agent;

import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.rdb.RdbDigest;
import dev.vigil.backup.rdb.RdbSummary;
import dev.vigil.backup.repl.ReplicaSync;
import dev.vigil.backup.repl.SyncStart;
import dev.vigil.backup.s3.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Takes one backup: the node's RDB over the replication protocol, streamed into a multipart upload
 * part by part (one part filling while earlier ones upload), SHA-256 and the RDB's CRC-64
 * computed on the way; the RDB is verified before the upload completes, and the manifest is written
 * last. Any failure aborts the upload (see {@link UploadGuard}).
 */
public final class BackupAgent {
  private static final Logger log = LoggerFactory.getLogger(BackupAgent.class);
  public static final String AGENT = "vigil-backup 0.1.0";

  private final BackupStore store;
  private final UploadGuard guard;
  private final Clock clock;

  public BackupAgent(BackupStore store, UploadGuard guard, Clock clock) {
    this.store = store;
    this.guard = guard;
    this.clock = clock;
  }

  /** The manifest of the backup taken, or a one-line reason it was not. */
  public Manifest run(BackupRequest req) throws BackupFailure {
    Instant started = clock.instant();
    NodeFacts facts;
    try {
      facts = NodeFacts.read(req.node());
    } catch (IOException e) {
      throw new BackupFailure("cannot read INFO from " + e.getMessage(), e);
    }
    if (!facts.masterLinkUp()) {
      throw new BackupFailure(req.node().address() + " is a replica whose link to its master is "
          + "down: its data may be stale; back up another replica or the master");
    }
    try {
      store.checkBucket();
    } catch (SdkException e) {
      throw new BackupFailure(store.describe(e), e);
    }
    String id = BackupKeys.id(req.clusterName(), started);
    String key = BackupKeys.objectKey(req.prefix(), id);
    log.info("backing up {} ({} {}, {}) to s3://{}/{}", req.node().address(), facts.server(),
        facts.version(), facts.role(), store.bucket(), key);
    try (ReplicaSync sync = new ReplicaSync(req.node())) {
      SyncStart start;
      try {
        start = sync.start();
      } catch (IOException e) {
        throw new BackupFailure(e.getMessage(), e);
      }
      log.info("node sent FULLRESYNC {} {}; RDB {}", start.replid(), start.offset(),
          start.diskless() ? "streamed (diskless, length unknown)" : Progress.size(start.length()));
      BackupStore.Upload upload;
      guard.starting(key);
      try {
        upload = store.startUpload(key);
      } catch (SdkException e) {
        String why = store.describe(e);
        guard.cleanUp(why);
        throw new BackupFailure(why, e);
      }
      guard.opened(upload);
      try {
        RdbSummary rdb = stream(sync.payload(), upload, start, req);
        if (rdb.problem().isPresent()) {
          throw new BackupFailure("the RDB from " + req.node().address() + " does not verify: "
              + rdb.problem().get());
        }
        if (!start.diskless() && rdb.size() != start.length()) {
          throw new BackupFailure("the node announced " + start.length() + " bytes and sent "
              + rdb.size());
        }
        guard.complete();
        Instant finished = clock.instant();
        Manifest m = new Manifest(Manifest.FORMAT, id, req.clusterName(), req.node().address(),
            facts.role(), start.replid(), start.offset(), facts.server(), facts.version(),
            rdb.header().toString(), rdb.size(), rdb.sha256(), rdb.hasCrc() ? rdb.crcHex() : null,
            store.bucket(), key, started, finished, AGENT);
        String manifestKey = BackupKeys.manifestKey(req.prefix(), id);
        guard.commit(() -> store.putManifest(manifestKey, m));
        log.info("backup {} complete: {} in {} parts, sha256 {}; manifest s3://{}/{}", id,
            Progress.size(rdb.size()), upload.parts(), rdb.sha256(), store.bucket(), manifestKey);
        return m;
      } catch (BackupFailure e) {
        guard.cleanUp(e.getMessage());
        throw e;
      } catch (IOException e) {
        guard.cleanUp(e.getMessage());
        throw new BackupFailure(e.getMessage(), e);
      } catch (SdkException e) {
        String why = store.describe(e);
        guard.cleanUp(why);
        throw new BackupFailure(why, e);
      } catch (RuntimeException | Error e) {
        guard.cleanUp(e.toString());
        throw e;
      }
    }
  }

  /** A part being uploaded, and the buffer it holds until then. */
  private record InFlight(Future<?> done, ByteBuffer buffer) {}

  /**
   * Reads the payload into parts; up to {@code uploadThreads} upload while the next fills. Memory:
   * {@code uploadThreads + 1} part buffers, reused, outside the heap (so the heap stays small and
   * its size does not depend on the part size) and a 256 KiB scratch array.
   */
  private RdbSummary stream(InputStream in, BackupStore.Upload upload, SyncStart start,
      BackupRequest req) throws IOException, BackupFailure {
    RdbDigest digest = new RdbDigest();
    Throttle throttle = new Throttle(req.maxBytesPerSecond());
    int threads = Math.max(1, req.uploadThreads());
    UploadThreads uploader = new UploadThreads(threads);
    guard.uploading(uploader);
    ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    byte[] scratch = new byte[SCRATCH];
    try (ProgressReporter progress = new ProgressReporter("backup", start.length(), req.progressEvery())) {
      int number = 1;
      while (true) {
        int size = PartSizing.partSize(req.partSize(), start.length(), number);
        while (!free.isEmpty() && free.peek().capacity() != size) {
          free.poll(); // the part size grew: let the smaller buffers go
        }
        ByteBuffer buf = free.isEmpty() ? PartBuffers.allocate(size, threads + 1) : free.poll();
        buf.clear();
        long t0 = System.nanoTime();
        int n = fill(in, buf, scratch, digest, progress, throttle);
        if (n == 0 && number > 1) {
          break;
        }
        long t1 = System.nanoTime();
        while (inFlight.size() >= threads) {
          InFlight oldest = inFlight.poll();
          awaitPart(oldest.done());
          free.add(oldest.buffer());
        }
        if (log.isDebugEnabled()) {
          log.debug("part {}: {} bytes read in {} ms, then {} ms waiting for an upload slot",
              number, n, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
        int part = number;
        ByteBuffer data = buf.flip().asReadOnlyBuffer();
        inFlight.add(new InFlight(uploader.submit(() -> upload.uploadPart(part, data)), buf));
        number++;
        if (n < size) {
          break;
        }
      }
      while (!inFlight.isEmpty()) {
        awaitPart(inFlight.poll().done());
      }
      log.info("RDB streamed; {}", progress.now().line());
    } finally {
      uploader.settle();
    }
    return digest.summary();
  }

  private static final int SCRATCH = 256 << 10;

  private static int fill(InputStream in, ByteBuffer buf, byte[] scratch, RdbDigest digest,
      ProgressReporter progress, Throttle throttle) throws IOException {
    int n = 0;
    while (buf.hasRemaining()) {
      int r = in.read(scratch, 0, Math.min(buf.remaining(), scratch.length));
      if (r < 0) {
        break;
      }
      digest.update(scratch, 0, r);
      buf.put(scratch, 0, r);
      progress.add(r);
      throttle.passed(r);
      n += r;
    }
    return n;
  }

  private static void awaitPart(Future<?> part) throws BackupFailure {
    if (part == null) {
      return;
    }
    try {
      part.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SdkException s) {
        throw s;
      }
      throw new BackupFailure("part upload failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupFailure("interrupted");
    }
  }
}
