package dev.vigil.sentinel.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/** The {@code group}, {@code host} and {@code port} query parameters naming one node of a group. */
record NodeQuery(String group, String host, int port) {
  static NodeQuery of(QueryStringDecoder q) {
    String group = one(q, "group");
    String host = one(q, "host");
    int port;
    try {
      port = Integer.parseInt(one(q, "port"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number");
    }
    return new NodeQuery(group, host, port);
  }

  static String one(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    if (v == null || v.isEmpty() || v.get(0).isBlank()) {
      throw new IllegalArgumentException("missing query parameter " + name
          + " (expected ?group=NAME&host=HOST&port=PORT)");
    }
    return v.get(0);
  }
}
