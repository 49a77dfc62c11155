package dev.vigil.resp3.client;

/** Hears about a connection's link going up and down. Called on the event loop: do not block. */
public interface ConnectionListener {
  /** The connection is established and greeted (also after each reconnect). */
  default void connected(RespConnection connection) {}

  /** The link went down; with a reconnect policy, attempts to restore it follow. */
  default void disconnected(RespConnection connection, Throwable cause) {}

  /**
   * An attempt to connect (TCP, TLS handshake or greeting) failed; with a reconnect policy, the
   * next attempt follows. Called for every attempt: a listener that logs should log changes.
   */
  default void attemptFailed(RespConnection connection, Throwable cause) {}
}
