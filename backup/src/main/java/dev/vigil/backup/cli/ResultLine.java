package dev.vigil.backup.cli;

import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code vigil backup --json} prints and {@code --result-file} holds: one line of JSON, so a
 * script or the operator (reading a Job's {@code /dev/termination-log}, at most 4 KiB) gets the
 * outcome without parsing logs. Pure.
 */
final class ResultLine {
  private ResultLine() {}

  static String of(Manifest m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", m.id());
    r.put("bucket", m.bucket());
    r.put("key", m.key());
    r.put("manifestKey", BackupKeys.manifestKeyOf(m.key()));
    r.put("size", m.size());
    r.put("sha256", m.sha256());
    r.put("durationSeconds", Duration.between(m.startedAt(), m.finishedAt()).toMillis() / 1000.0);
    return ManifestJson.compact(r);
  }

  /** A failure's one-line reason, in the same form. */
  static String failure(String reason) {
    return ManifestJson.compact(Map.of("error", reason));
  }
}
