package dev.vigil.backup.repl;

/**
 * What the node said before the RDB: {@code +FULLRESYNC <replid> <offset>} and the payload's form.
 *
 * @param replid replication id the RDB belongs to
 * @param offset replication offset the RDB is consistent with
 * @param length payload length in bytes, or -1 for the diskless {@code $EOF:} form
 */
public record SyncStart(String replid, long offset, long length) {
  public boolean diskless() {
    return length < 0;
  }
}
