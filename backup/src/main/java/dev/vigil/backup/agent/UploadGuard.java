package dev.vigil.backup.agent;

import dev.vigil.backup.s3.BackupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bucket free of anything a restore could mistake for a backup, whatever stops the
 * agent: an open multipart upload is aborted once the parts still uploading have finished (see
 * {@link UploadThreads}), and an object completed without its manifest is deleted. Completing and
 * committing (writing the manifest) happen under this object's lock, so a shutdown hook's
 * {@link #cleanUp} either runs before them (and they do not happen) or after (and sees what they
 * did), never in between.
 */
public final class UploadGuard {
  private static final Logger log = LoggerFactory.getLogger(UploadGuard.class);

  private final BackupStore store;
  private String starting;
  private BackupStore.Upload open;
  private UploadThreads uploading;
  private String completedKey;
  private boolean stopped;

  public UploadGuard(BackupStore store) {
    this.store = store;
  }

  /** Called before asking S3 for an upload of {@code key}: its id is not known yet. */
  synchronized void starting(String key) throws BackupFailure {
    if (stopped) {
      throw new BackupFailure("stopped");
    }
    starting = key;
  }

  synchronized void opened(BackupStore.Upload upload) throws BackupFailure {
    starting = null;
    if (stopped) {
      abortQuietly(upload);
      throw new BackupFailure("stopped");
    }
    open = upload;
  }

  /** The threads uploading the open upload's parts, settled before it is aborted. */
  synchronized void uploading(UploadThreads threads) {
    uploading = threads;
  }

  /** Completes the upload: the object now exists, not yet a backup. */
  synchronized void complete() throws BackupFailure {
    if (stopped) {
      throw new BackupFailure("stopped before the upload completed");
    }
    open.complete();
    completedKey = open.key();
    open = null;
  }

  /** Writes the manifest; from here on the backup exists. */
  synchronized void commit(Runnable writeManifest) throws BackupFailure {
    if (stopped) {
      throw new BackupFailure("stopped before the manifest was written");
    }
    writeManifest.run();
    completedKey = null;
  }

  /** Aborts what is open and deletes an object left without a manifest; idempotent. */
  public synchronized void cleanUp(String why) {
    stopped = true;
    if (starting != null) {
      // Stopped while S3 was creating the upload: its id never reached us, so find it by its
      // key (unique: the id has the start time in it).
      try {
        for (var u : store.uploadsOf(starting)) {
          log.warn("aborting multipart upload of {} ({})", u.key(), why);
          store.abort(u.key(), u.uploadId());
        }
      } catch (RuntimeException e) {
        log.error("could not abort the upload of {} (a bucket lifecycle rule for incomplete "
            + "uploads removes it; 'vigil backups uploads --abort' does now): {}", starting,
            e.getMessage());
      }
      starting = null;
    }
    if (open != null) {
      if (uploading != null) {
        uploading.settle();
      }
      log.warn("aborting multipart upload of {} ({})", open.key(), why);
      abortQuietly(open);
      open = null;
    }
    if (completedKey != null) {
      log.warn("deleting {}: it has no manifest ({})", completedKey, why);
      try {
        store.delete(completedKey);
      } catch (RuntimeException e) {
        log.error("could not delete {} (no manifest, so no restore will take it): {}",
            completedKey, e.getMessage());
      }
      completedKey = null;
    }
  }

  private void abortQuietly(BackupStore.Upload upload) {
    try {
      upload.abort();
    } catch (RuntimeException e) {
      log.error("could not abort multipart upload {} of {} (a bucket lifecycle rule for incomplete "
          + "uploads removes it; 'vigil backups uploads --abort' does now): {}", upload.uploadId(),
          upload.key(), e.getMessage());
    }
  }
}
