package dev.vigil.resp3.client;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An INFO reply parsed into sections of {@code key:value} fields, in the server's order. Section
 * names are lower-cased ({@code replication}, {@code server}); keys are kept as sent.
 *
 * <p>A section's fields are split out of the text the first time they are read: a daemon polls
 * every node's INFO and reads three or four of its dozen sections, and with hundreds of groups
 * splitting the rest was a good part of what it allocated.
 */
public final class InfoReply {
  private final String text;
  /** Each section by name, in the server's order. */
  private final Map<String, Section> index;
  private final Map<String, Map<String, String>> sections;

  /**
   * Where a section's lines are in the text (start/end pairs: a repeated header continues the
   * section, as it always did); its fields once read (immutable, so caching them racily is safe).
   */
  private static final class Section {
    int[] ranges;
    Map<String, String> fields;

    Section(int start, int end) {
      this.ranges = new int[] {start, end};
    }

    void add(int start, int end) {
      int[] r = java.util.Arrays.copyOf(ranges, ranges.length + 2);
      r[ranges.length] = start;
      r[ranges.length + 1] = end;
      ranges = r;
    }
  }

  private InfoReply(String text, Map<String, Section> index) {
    this.text = text;
    this.index = index;
    this.sections = new LazySections();
  }

  /** Finds where each section is; a section's fields are split when it is first read. */
  public static InfoReply parse(String text) {
    Map<String, Section> index = new LinkedHashMap<>();
    String name = "";
    int sectionStart = 0;
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 ? n : nl;
      if (lineEnd > pos && text.charAt(pos) == '#') {
        addSection(index, text, name, sectionStart, pos);
        int end = text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        name = sectionName(text, pos + 1, end);
        index.computeIfAbsent(name, k -> new Section(0, 0));
        sectionStart = lineEnd + 1;
      }
      pos = lineEnd + 1;
    }
    addSection(index, text, name, Math.min(sectionStart, n), n);
    return new InfoReply(text, index);
  }

  /** Valkey's sections, so that reading a header needs no trimmed and lower-cased copy of it. */
  private static final String[] KNOWN = {"server", "clients", "memory", "persistence", "stats",
      "replication", "cpu", "modules", "errorstats", "cluster", "keyspace", "keysizes",
      "commandstats", "latencystats", "sentinel"};

  private static String sectionName(String text, int start, int end) {
    while (start < end && text.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && text.charAt(end - 1) <= ' ') {
      end--;
    }
    for (String k : KNOWN) {
      if (k.length() == end - start && text.regionMatches(true, start, k, 0, k.length())) {
        return k;
      }
    }
    return text.substring(start, end).trim().toLowerCase(Locale.ROOT);
  }

  /** Fields before any header go to section "", which exists only when there are some. */
  private static void addSection(Map<String, Section> index, String text, String name, int start,
      int end) {
    if (start >= end) {
      return;
    }
    Section s = index.get(name);
    if (s == null) {
      if (!name.isEmpty() || parseFields(text, new int[] {start, end}).isEmpty()) {
        return;
      }
      index.put(name, new Section(start, end));
    } else {
      s.add(start, end);
    }
  }

  private Map<String, String> fields(Section s) {
    Map<String, String> f = s.fields;
    if (f == null) {
      f = parseFields(text, s.ranges);
      s.fields = f;
    }
    return f;
  }

  private static Map<String, String> parseFields(String text, int[] ranges) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int r = 0; r < ranges.length; r += 2) {
      int pos = ranges[r];
      int limit = ranges[r + 1];
      while (pos < limit) {
        int nl = text.indexOf('\n', pos);
        int lineEnd = nl < 0 || nl > limit ? limit : nl;
        int end = lineEnd > pos && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        int colon = text.indexOf(':', pos);
        if (colon > pos && colon < end) {
          out.put(text.substring(pos, colon), text.substring(colon + 1, end));
        }
        pos = lineEnd + 1;
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Every section by name, in the server's order (a section's fields are split when read). */
  public Map<String, Map<String, String>> sections() {
    return sections;
  }

  /** A section's fields, empty when absent. */
  public Map<String, String> section(String name) {
    Section s = index.get(name.toLowerCase(Locale.ROOT));
    return s == null ? Map.of() : fields(s);
  }

  /**
   * One field of one section, or null: found by scanning the section's lines when it has not been
   * split yet, so that reading the run id does not split the whole server section.
   */
  public String field(String sectionName, String key) {
    Section s = index.get(sectionName.toLowerCase(Locale.ROOT));
    if (s == null) {
      return null;
    }
    if (s.fields != null) {
      return s.fields.get(key);
    }
    int k = key.length();
    String found = null; // the last one, as when split into a map
    for (int r = 0; r < s.ranges.length; r += 2) {
      int pos = s.ranges[r];
      int limit = s.ranges[r + 1];
      while (pos < limit) {
        int nl = text.indexOf('\n', pos);
        int lineEnd = nl < 0 || nl > limit ? limit : nl;
        if (pos + k < lineEnd && text.charAt(pos + k) == ':' && text.startsWith(key, pos)) {
          int end = text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
          found = text.substring(pos + k + 1, end);
        }
        pos = lineEnd + 1;
      }
    }
    return found;
  }

  /**
   * A cursor over one section's fields in the server's order (none when the section is absent),
   * reading the text in place: a reader that wants a handful of fields compares keys without
   * splitting the section into a map of strings first. A daemon reads the replication section of
   * every node's INFO, and at hundreds of groups those maps were a sixth of what it allocated.
   */
  public Cursor cursor(String sectionName) {
    Section s = index.get(sectionName.toLowerCase(Locale.ROOT));
    return new Cursor(s == null ? new int[0] : s.ranges);
  }

  /** A position in one section's lines; see {@link InfoReply#cursor}. Not thread-safe. */
  public final class Cursor {
    private final int[] ranges;
    private int range = -2;
    private int pos;
    private int limit;
    private int keyStart;
    private int colon;
    private int valueEnd;

    private Cursor(int[] ranges) {
      this.ranges = ranges;
    }

    /** Moves to the next {@code key:value} line; false after the last one. */
    public boolean next() {
      while (true) {
        if (range < 0 || pos >= limit) {
          range += 2;
          if (range >= ranges.length) {
            return false;
          }
          pos = ranges[range];
          limit = ranges[range + 1];
          continue;
        }
        // The same lines as parseFields accepts, so both views of a section agree.
        int nl = text.indexOf('\n', pos);
        int lineEnd = nl < 0 || nl > limit ? limit : nl;
        int end = lineEnd > pos && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        int c = text.indexOf(':', pos);
        int start = pos;
        pos = lineEnd + 1;
        if (c > start && c < end) {
          keyStart = start;
          colon = c;
          valueEnd = end;
          return true;
        }
      }
    }

    /** Whether the current field's key is {@code key}. */
    public boolean keyIs(String key) {
      return colon - keyStart == key.length() && text.startsWith(key, keyStart);
    }

    /** Whether the current field's key starts with {@code prefix}. */
    public boolean keyStartsWith(String prefix) {
      return colon - keyStart >= prefix.length() && text.startsWith(prefix, keyStart);
    }

    public String key() {
      return text.substring(keyStart, colon);
    }

    public String value() {
      return text.substring(colon + 1, valueEnd);
    }
  }

  /** A field from whichever section holds it (reading sections in order until found), or null. */
  public String get(String key) {
    for (Section s : index.values()) {
      String v = fields(s).get(key);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoReply other && sections.equals(other.sections);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sections);
  }

  @Override
  public String toString() {
    return "InfoReply" + sections;
  }

  /** The sections as an unmodifiable map whose values are split only when read. */
  private final class LazySections extends AbstractMap<String, Map<String, String>> {
    @Override
    public boolean containsKey(Object key) {
      return index.containsKey(key);
    }

    @Override
    public Map<String, String> get(Object key) {
      Section s = index.get(key);
      return s == null ? null : fields(s);
    }

    @Override
    public int size() {
      return index.size();
    }

    @Override
    public Set<String> keySet() {
      return Collections.unmodifiableSet(index.keySet());
    }

    @Override
    public Set<Entry<String, Map<String, String>>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Map<String, String>>> iterator() {
          Iterator<Map.Entry<String, Section>> it = index.entrySet().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Entry<String, Map<String, String>> next() {
              Map.Entry<String, Section> e = it.next();
              return new SimpleImmutableEntry<>(e.getKey(), fields(e.getValue()));
            }
          };
        }

        @Override
        public int size() {
          return index.size();
        }
      };
    }
  }
}
