package dev.vigil.resp3.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An INFO reply parsed into sections of {@code key:value} fields, in the server's order. Section
 * names are lower-cased ({@code replication}, {@code server}); keys are kept as sent.
 */
public record InfoReply(Map<String, Map<String, String>> sections) {
  public InfoReply {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    sections.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    sections = Collections.unmodifiableMap(copy);
  }

  public static InfoReply parse(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\n")) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        current = sections.computeIfAbsent(
            line.substring(1).trim().toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      if (current == null) {
        current = sections.computeIfAbsent("", k -> new LinkedHashMap<>());
      }
      current.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return new InfoReply(sections);
  }

  /** A section's fields, empty when absent. */
  public Map<String, String> section(String name) {
    return sections.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of());
  }

  /** A field from whichever section holds it, or null. */
  public String get(String key) {
    for (Map<String, String> s : sections.values()) {
      String v = s.get(key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** A numeric field, or {@code fallback} when absent or not a number. */
  public long getLong(String key, long fallback) {
    String v = get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Splits a composite field such as {@code slave0:ip=10.0.0.2,port=6380,state=online,...} into
   * its parts.
   */
  public static Map<String, String> fields(String composite) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : composite.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }
}
