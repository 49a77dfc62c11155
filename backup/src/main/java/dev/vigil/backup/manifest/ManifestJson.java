package dev.vigil.backup.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import java.time.Instant;

/** Manifests to and from JSON; also the CLI's JSON output. */
public final class ManifestJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("instants")
          // ISO-8601 text, without pulling in the jsr310 module for one type.
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addDeserializer(Instant.class, new FromStringDeserializer<Instant>(Instant.class) {
            @Override
            protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
              return Instant.parse(value);
            }
          }))
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestJson() {}

  public static byte[] write(Manifest m) {
    try {
      return MAPPER.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }

  /** Parses a manifest; a one-line reason when it is not one. */
  public static Manifest read(byte[] json) throws InvalidManifestException {
    try {
      Manifest m = MAPPER.readValue(json, Manifest.class);
      if (m.format() == null || !m.format().startsWith("vigil-backup/")) {
        throw new InvalidManifestException("not a vigil backup manifest (format " + m.format() + ")");
      }
      if (m.key() == null || m.sha256() == null || m.size() < 0) {
        throw new InvalidManifestException("manifest lacks the object's key, size or SHA-256");
      }
      return m;
    } catch (java.io.IOException e) {
      throw new InvalidManifestException("unreadable manifest: " + firstLine(e.getMessage()));
    }
  }

  /** Any value (maps, lists, records) as indented JSON, for {@code -o json}. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Any value as JSON on one line (a result line for scripts and a Job's termination log). */
  public static String compact(Object value) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The manifest's fields in order, for a key/value listing. */
  @SuppressWarnings("unchecked")
  public static java.util.Map<String, Object> fields(Manifest m) {
    return MAPPER.convertValue(m, java.util.LinkedHashMap.class);
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
