package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;

/**
 * The backup agent's one-line result ({@code vigil backup --result-file}), as its pod's
 * termination message carries it: {@code {"objectKey","manifestKey","size","sha256","durationMs",
 * "node","role"}}. Any field may be missing; a message that is not this JSON (the end of the log,
 * FallbackToLogsOnError) is no result.
 */
record AgentResult(String objectKey, String manifestKey, Long size, String sha256, Long durationMs,
    String node, String role) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static Optional<AgentResult> parse(String message) {
    if (message == null) {
      return Optional.empty();
    }
    // The result is the last line the agent wrote: take the last JSON object in the message.
    String line = message.strip().lines().map(String::strip).filter(l -> l.startsWith("{"))
        .reduce((a, b) -> b).orElse(null);
    if (line == null) {
      return Optional.empty();
    }
    JsonNode n;
    try {
      n = JSON.unmarshal(line, JsonNode.class);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (n == null || !n.isObject() || !n.hasNonNull("objectKey")) {
      return Optional.empty();
    }
    return Optional.of(new AgentResult(text(n, "objectKey"), text(n, "manifestKey"), number(n, "size"),
        text(n, "sha256"), number(n, "durationMs"), text(n, "node"), text(n, "role")));
  }

  private static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }

  private static Long number(JsonNode n, String f) {
    return n.hasNonNull(f) && n.get(f).canConvertToLong() ? n.get(f).asLong() : null;
  }

  /**
   * One line saying why the agent failed: the last non-blank line of its termination message
   * (the agent's own one-line reason comes last), bounded so a status stays small.
   */
  static String failureLine(String message) {
    if (message == null) {
      return null;
    }
    String last = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
        .reduce((a, b) -> b).orElse(null);
    if (last == null) {
      return null;
    }
    return last.length() <= 300 ? last : last.substring(0, 297) + "...";
  }
}
