package dev.vigil.backup.agent;

import java.nio.ByteBuffer;

/**
 * Multipart part buffers, allocated outside the heap: the agent's memory is then its parts plus a
 * small heap whatever the part size, and a part too large for the direct-memory limit fails with
 * a reason that names the setting, not an OutOfMemoryError.
 */
final class PartBuffers {
  private PartBuffers() {}

  /** One part buffer of {@code size} bytes; {@code count} is how many the agent holds at once. */
  static ByteBuffer allocate(int size, int count) throws BackupFailure {
    try {
      return ByteBuffer.allocateDirect(size);
    } catch (OutOfMemoryError e) {
      throw new BackupFailure(count + " parts of " + Progress.size(size) + " do not fit in the "
          + "JVM's direct memory (-XX:MaxDirectMemorySize): lower --upload-threads, or for a "
          + "diskless stream of this size raise --part-size-mib so that 8,000 parts hold it, or raise "
          + "the limit with the memory (VIGIL_BACKUP_JAVA_OPTS for bin/vigil, _JAVA_OPTIONS in the "
          + "image)", e);
    }
  }
}
