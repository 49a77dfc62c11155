package dev.vigil.resp3.client;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The channels and patterns this connection is subscribed to, as confirmed by the server. Kept so
 * a reconnect can restore them, and so an argument-less UNSUBSCRIBE knows how many confirmations
 * to expect. Synchronized because a reconnect may move the connection to another event loop.
 */
final class PubSubState {
  private final Set<String> channels = new LinkedHashSet<>();
  private final Set<String> patterns = new LinkedHashSet<>();
  private final Set<String> shardChannels = new LinkedHashSet<>();

  /** Applies a confirmation ({@code subscribe ch n}, {@code punsubscribe pat n}, ...). */
  synchronized void confirm(String kind, String name) {
    switch (kind) {
      case "subscribe" -> channels.add(name);
      case "unsubscribe" -> channels.remove(name);
      case "psubscribe" -> patterns.add(name);
      case "punsubscribe" -> patterns.remove(name);
      case "ssubscribe" -> shardChannels.add(name);
      case "sunsubscribe" -> shardChannels.remove(name);
      default -> { }
    }
  }

  /** Confirmations an argument-less UNSUBSCRIBE-family command will bring: one per name, or one. */
  synchronized int confirmationsForAll(String kind) {
    int n = switch (kind) {
      case "unsubscribe" -> channels.size();
      case "punsubscribe" -> patterns.size();
      case "sunsubscribe" -> shardChannels.size();
      default -> 1;
    };
    return Math.max(1, n);
  }

  synchronized boolean isEmpty() {
    return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
  }

  synchronized Set<String> channels() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(channels));
  }

  synchronized Set<String> patterns() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(patterns));
  }

  static boolean isConfirmation(String kind) {
    return switch (kind) {
      case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" ->
          true;
      default -> false;
    };
  }

  static boolean isMessage(String kind) {
    return kind.equals("message") || kind.equals("pmessage") || kind.equals("smessage");
  }
}
