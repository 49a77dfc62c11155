package dev.vigil.backup.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Manifests to and from JSON; also the CLI's JSON output. Jackson's streaming API rather than its
 * data binding: the agent's peak RSS has a budget, and data binding loaded ~430 classes for one
 * record type.
 */
public final class ManifestJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ManifestJson() {}

  public static byte[] write(Manifest m) {
    return pretty(m).getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a manifest; a one-line reason when it is not one. Unknown fields are ignored. */
  public static Manifest read(byte[] json) throws InvalidManifestException {
    Map<String, Object> f = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidManifestException("unreadable manifest: not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (t) {
          case VALUE_STRING -> f.put(name, p.getText());
          case VALUE_NUMBER_INT -> f.put(name, p.getLongValue());
          case VALUE_NULL -> f.remove(name);
          default -> {
            f.put(name, t); // a type no field of a manifest has: refused below if it is read
            p.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      throw new InvalidManifestException("unreadable manifest: " + firstLine(e.getMessage()));
    }
    Manifest m = new Manifest(text(f, "format"), text(f, "id"), text(f, "cluster"), text(f, "node"),
        text(f, "role"), text(f, "replid"), number(f, "offset"), text(f, "server"),
        text(f, "serverVersion"), text(f, "rdbVersion"), number(f, "size"), text(f, "sha256"),
        text(f, "crc64"), text(f, "bucket"), text(f, "key"), instant(f, "startedAt"),
        instant(f, "finishedAt"), text(f, "agent"));
    if (m.format() == null || !m.format().startsWith("vigil-backup/")) {
      throw new InvalidManifestException("not a vigil backup manifest (format " + m.format() + ")");
    }
    if (m.key() == null || m.sha256() == null || m.size() < 0) {
      throw new InvalidManifestException("manifest lacks the object's key, size or SHA-256");
    }
    return m;
  }

  /** Any value (maps, lists, records) as indented JSON, for {@code -o json}. */
  public static String pretty(Object value) {
    return json(value, true);
  }

  /** Any value as JSON on one line (a result line for scripts and a Job's termination log). */
  public static String compact(Object value) {
    return json(value, false);
  }

  /**
   * An indented JSON array written value by value as they come, the same text {@link #pretty}
   * gives the whole list: a listing of any length in constant memory. The writer stays open.
   */
  public static final class ArrayWriter implements AutoCloseable {
    private final Writer out;
    private final JsonGenerator g;

    private ArrayWriter(Writer out) throws IOException {
      this.out = out;
      g = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartArray();
    }

    public void add(Object value) {
      try {
        value(g, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Ends the array and the line. */
    @Override
    public void close() {
      try {
        g.writeEndArray();
        g.close();
        out.write(System.lineSeparator());
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static ArrayWriter prettyArray(Writer out) {
    try {
      return new ArrayWriter(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record's fields in order (a manifest's, for a key/value listing). */
  public static Map<String, Object> fields(Record r) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      fields.put(c.getName(), component(r, c));
    }
    return fields;
  }

  private static String json(Object value, boolean indent) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      if (indent) {
        g.useDefaultPrettyPrinter();
      }
      value(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        value(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Record r) {
      value(g, fields(r));
    } else {
      g.writeString(v.toString()); // instants as ISO-8601, enums by name
    }
  }

  private static Object component(Record r, RecordComponent c) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("record accessor " + c.getName(), e);
    }
  }

  private static String text(Map<String, Object> f, String name) throws InvalidManifestException {
    Object v = f.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new InvalidManifestException("unreadable manifest: " + name + " is not a string");
  }

  private static long number(Map<String, Object> f, String name) throws InvalidManifestException {
    Object v = f.get(name);
    if (v instanceof Long l) {
      return l;
    }
    throw new InvalidManifestException("unreadable manifest: " + name
        + (v == null ? " is missing" : " is not an integer"));
  }

  private static Instant instant(Map<String, Object> f, String name) throws InvalidManifestException {
    String s = text(f, name);
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidManifestException("unreadable manifest: " + name + " is not a time: " + s);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A manifest that cannot be used. */
  public static final class InvalidManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidManifestException(String message) {
      super(message);
    }
  }
}
