package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;

/**
 * The backup agent's one-line result ({@code vigil backup --result-file}), as its pod's
 * termination message carries it: {@code {"id","bucket","key","manifestKey","size","sha256",
 * "durationSeconds"}}, or on failure {@code {"error": REASON}}. The names first planned for it
 * ({@code objectKey}, {@code durationMs}, {@code node}, {@code role}) are read too. Any field but
 * the key may be missing; a message that is not this JSON (the end of the log,
 * FallbackToLogsOnError, from an agent without the option) is no result.
 */
record AgentResult(String objectKey, String manifestKey, Long size, String sha256, Long durationMs,
    String node, String role) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static Optional<AgentResult> parse(String message) {
    if (message == null) {
      return Optional.empty();
    }
    // The result is the last line the agent wrote: take the last JSON object in the message.
    JsonNode n = lastJson(message);
    String key = n == null ? null : n.hasNonNull("key") ? text(n, "key") : text(n, "objectKey");
    if (key == null) {
      return Optional.empty();
    }
    Long ms = number(n, "durationMs");
    if (ms == null && n.hasNonNull("durationSeconds") && n.get("durationSeconds").isNumber()) {
      ms = Math.round(n.get("durationSeconds").asDouble() * 1000);
    }
    return Optional.of(new AgentResult(key, text(n, "manifestKey"), number(n, "size"), text(n, "sha256"), ms,
        text(n, "node"), text(n, "role")));
  }

  /** The last line of {@code message} that is a JSON object, or null. */
  private static JsonNode lastJson(String message) {
    String line = message.strip().lines().map(String::strip).filter(l -> l.startsWith("{"))
        .reduce((a, b) -> b).orElse(null);
    if (line == null) {
      return null;
    }
    try {
      JsonNode n = JSON.unmarshal(line, JsonNode.class);
      return n != null && n.isObject() ? n : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }

  private static Long number(JsonNode n, String f) {
    return n.hasNonNull(f) && n.get(f).canConvertToLong() ? n.get(f).asLong() : null;
  }

  /**
   * One line saying why the agent failed: its {@code {"error": ...}} result, else the last
   * non-blank line of its termination message (the end of its log, where its one-line reason
   * comes last), bounded so a status stays small.
   */
  static String failureLine(String message) {
    if (message == null) {
      return null;
    }
    JsonNode n = lastJson(message);
    if (n != null && n.hasNonNull("error")) {
      String e = n.get("error").asText();
      return e.length() <= 300 ? e : e.substring(0, 297) + "...";
    }
    String last = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
        .reduce((a, b) -> b).orElse(null);
    if (last == null) {
      return null;
    }
    return last.length() <= 300 ? last : last.substring(0, 297) + "...";
  }
}
