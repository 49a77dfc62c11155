package dev.vigil.sentinel.server;

import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.monitor.SentinelEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's own pub/sub: every event is published on a channel named after it
 * ({@code +switch-master}), to subscribers of that channel and of matching patterns
 * ({@code PSUBSCRIBE *}), as RESP3 pushes or RESP2 arrays by each client's protocol.
 */
final class PubSubHub {
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

  void register(ClientSession s) {
    sessions.add(s);
  }

  void unregister(ClientSession s) {
    sessions.remove(s);
  }

  void publish(SentinelEvent e) {
    publish(e.type(), e.payload());
  }

  /** Publishes; returns how many clients received it. */
  int publish(String channel, String message) {
    int receivers = 0;
    for (ClientSession s : sessions) {
      if (s.channels.contains(channel)) {
        send(s, List.of(BulkString.of("message"), BulkString.of(channel), BulkString.of(message)));
        receivers++;
      }
      for (String pattern : s.patterns) {
        if (matches(pattern, channel)) {
          send(s, List.of(BulkString.of("pmessage"), BulkString.of(pattern), BulkString.of(channel),
              BulkString.of(message)));
          receivers++;
        }
      }
    }
    return receivers;
  }

  private static void send(ClientSession s, List<RespValue> items) {
    s.channel.writeAndFlush(Replies.forProtocol(new Push(items), s.protocol));
  }

  static boolean matches(String pattern, String channel) {
    return Glob.matches(pattern, channel);
  }
}
