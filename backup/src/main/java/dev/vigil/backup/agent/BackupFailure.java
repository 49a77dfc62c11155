package dev.vigil.backup.agent;

/** A backup or restore that did not happen, with a one-line reason for the operator's eyes. */
public final class BackupFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupFailure(String reason) {
    super(reason);
  }

  public BackupFailure(String reason, Throwable cause) {
    super(reason, cause);
  }
}
