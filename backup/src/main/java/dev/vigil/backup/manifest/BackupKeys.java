package dev.vigil.backup.manifest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a backup's two objects go: {@code PREFIX/ID.rdb} and, written last,
 * {@code PREFIX/ID.manifest.json}, with ID = {@code CLUSTER-yyyyMMddTHHmmssSSSZ}: sortable by time
 * within a cluster, and a listing of the prefix finds every manifest.
 */
public final class BackupKeys {
  public static final String RDB_SUFFIX = ".rdb";
  public static final String MANIFEST_SUFFIX = ".manifest.json";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private BackupKeys() {}

  public static String id(String cluster, Instant at) {
    return sanitize(cluster) + "-" + STAMP.format(at);
  }

  public static String objectKey(String prefix, String id) {
    return join(prefix, id + RDB_SUFFIX);
  }

  public static String manifestKey(String prefix, String id) {
    return join(prefix, id + MANIFEST_SUFFIX);
  }

  /** The manifest of an RDB object key (or the key itself when it is a manifest's). */
  public static String manifestKeyOf(String key) {
    if (key.endsWith(MANIFEST_SUFFIX)) {
      return key;
    }
    String base = key.endsWith(RDB_SUFFIX) ? key.substring(0, key.length() - RDB_SUFFIX.length()) : key;
    return base + MANIFEST_SUFFIX;
  }

  /** The listing prefix for a user's {@code --prefix}: empty, or ending in one slash. */
  public static String listPrefix(String prefix) {
    String p = trimSlashes(prefix);
    return p.isEmpty() ? "" : p + "/";
  }

  static String join(String prefix, String name) {
    return listPrefix(prefix) + name;
  }

  private static String trimSlashes(String s) {
    if (s == null) {
      return "";
    }
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '/') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '/') {
      b--;
    }
    return s.substring(a, b);
  }

  /** Keeps ids to letters, digits, dot, dash and underscore (a node address has colons). */
  static String sanitize(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '-');
    }
    return sb.toString();
  }
}
