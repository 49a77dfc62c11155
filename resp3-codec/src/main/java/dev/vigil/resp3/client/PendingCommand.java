package dev.vigil.resp3.client;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.RespValue;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A command written and waiting for its reply. Replies arrive in command order (FIFO), except for
 * the pub/sub commands, whose confirmations arrive one per channel (as pushes in RESP3).
 */
final class PendingCommand {
  final RespCommand command;
  final CompletableFuture<RespValue> future;
  final long timeoutMillis;
  /** The pub/sub kind this command waits confirmations of ("subscribe", ...), or null. */
  final String pubSubKind;
  /** Confirmations still expected; set when written, since it can depend on live subscriptions. */
  int confirmations;
  /** When it times out (System.nanoTime), set when written; meaningful when timeoutMillis > 0. */
  long deadlineNanos;

  PendingCommand(RespCommand command, CompletableFuture<RespValue> future, long timeoutMillis) {
    this.command = command;
    this.future = future;
    this.timeoutMillis = timeoutMillis;
    this.pubSubKind = pubSubKind(command);
  }

  private static String pubSubKind(RespCommand command) {
    String name = command.name();
    return switch (name) {
      case "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE" ->
          name.toLowerCase(Locale.ROOT);
      default -> null;
    };
  }

  boolean complete(RespValue reply) {
    return future.complete(reply);
  }

  boolean fail(Throwable cause) {
    return future.completeExceptionally(cause);
  }
}
