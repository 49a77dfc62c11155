package dev.vigil.sentinel.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The {@code group}, {@code host} and {@code port} query parameters naming one node of a group.
 * Without {@code host} and {@code port}, the node beside this daemon ({@code VIGIL_SELF_NODE},
 * HOST:PORT, set in a sidecar: Kubernetes probes cannot put a pod's own name in their path);
 * without {@code group}, the daemon's only group.
 */
record NodeQuery(String group, String host, int port) {
  static NodeQuery of(QueryStringDecoder q, String selfNode, java.util.List<String> groups) {
    String group;
    if (q.parameters().containsKey("group")) {
      group = one(q, "group");
    } else if (groups.size() == 1) {
      group = groups.get(0);
    } else {
      throw new IllegalArgumentException("missing query parameter group (the daemon watches "
          + groups.size() + " groups)");
    }
    if (!q.parameters().containsKey("host") && !q.parameters().containsKey("port")
        && selfNode != null && !selfNode.isBlank()) {
      dev.vigil.sentinel.config.Address a = dev.vigil.sentinel.config.Address.parse(selfNode);
      return new NodeQuery(group, a.host(), a.port());
    }
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
