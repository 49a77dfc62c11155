package dev.vigil.backup.agent;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that upload a backup's parts, and how they stop: before a failed or stopped upload
 * is aborted, parts still uploading are let finish (or fail). A part that lands after the abort is
 * stored anyway (S3 documents that an abort may need repeating for that reason; S3Proxy keeps such
 * a part as an orphan object), and interrupting the client does not stop the server from writing
 * what it already received.
 */
final class UploadThreads {
  private static final Logger log = LoggerFactory.getLogger(UploadThreads.class);

  /**
   * How long parts in flight are waited for: bounded, for a store that stopped answering, and
   * inside Kubernetes' default 30 s between SIGTERM and SIGKILL so that the abort still runs.
   */
  static final long GRACE_SECONDS = 20;

  private final ThreadPoolExecutor pool;

  UploadThreads(int threads) {
    pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "s3-upload");
          t.setDaemon(true);
          return t;
        });
  }

  Future<?> submit(Runnable part) {
    return pool.submit(part);
  }

  /**
   * Takes no more parts and waits, at most {@link #GRACE_SECONDS}, for those already taken;
   * idempotent, from any thread (the agent's own, or the shutdown hook's).
   */
  void settle() {
    pool.shutdown();
    long unfinished = pool.getActiveCount() + pool.getQueue().size();
    if (unfinished > 0) {
      log.info("waiting up to {} s for {} part(s) still uploading", GRACE_SECONDS, unfinished);
    }
    try {
      if (!pool.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        log.warn("parts still uploading after {} s; aborting the upload without them",
            GRACE_SECONDS);
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
