package dev.vigil.backup.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.backup.rdb.RdbHeader;
import dev.vigil.backup.rdb.RdbSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PureAgentPartsTest {
  private static final int MIB = 1 << 20;

  @Test
  void partSizesStayWithinS3Limits() {
    assertThat(PartSizing.partSize(16 * MIB, 100L * MIB, 1)).isEqualTo(16 * MIB);
    // 1 TiB known: at most 9,000 parts
    long tib = 1L << 40;
    int size = PartSizing.partSize(16 * MIB, tib, 1);
    assertThat((tib + size - 1) / size).isLessThanOrEqualTo(9_000);
    // unknown length (diskless): the base size for 8,000 parts, then doubling every 250, so
    // 10,000 parts of the default 8 MiB hold over 1 TiB, and at most 5 GiB each
    long total = 0;
    for (int n = 1; n <= 10_000; n++) {
      int part = PartSizing.partSize(8 * MIB, -1, n);
      long expected = n <= 8_000 ? 8L * MIB : 8L * MIB << (1 + (n - 8_001) / 250);
      // (a buffer holds at most Integer.MAX_VALUE - 8 bytes: the last 250 parts are 8 bytes short)
      assertThat(part).isEqualTo((int) Math.min(expected, Integer.MAX_VALUE - 8));
      total += part;
    }
    assertThat(total).isGreaterThan(tib);
    assertThat(PartSizing.partSize(8 * MIB, -1, 9_750)).isEqualTo(1024 * MIB);
    assertThat(PartSizing.partSize(1, -1, 1)).isEqualTo(PartSizing.MIN_PART);
  }

  @Test
  void progressLine() {
    Progress p = new Progress("backup", 512L * MIB, 1024L * MIB, Duration.ofSeconds(4));
    assertThat(p.line()).isEqualTo("backup: 512.0 MiB of 1.0 GiB (50%), 128.0 MiB/s, ETA 4s");
    Progress unknown = new Progress("backup", 3L * MIB, -1, Duration.ofSeconds(3));
    assertThat(unknown.line()).isEqualTo("backup: 3.0 MiB, 1.0 MiB/s");
    assertThat(p.bar(10)).isEqualTo("backup [#####     ] 512.0 MiB of 1.0 GiB (50%), 128.0 MiB/s, ETA 4s");
    assertThat(unknown.bar(10)).isEqualTo("backup: 3.0 MiB, 1.0 MiB/s");
  }

  @Test
  void throttleDelay() {
    assertThat(Throttle.delayNanos(10 * MIB, 0, 0)).isZero();
    assertThat(Throttle.delayNanos(10 * MIB, 1_000_000_000L, 10 * MIB)).isZero();
    assertThat(Throttle.delayNanos(10 * MIB, 500_000_000L, 10 * MIB)).isEqualTo(500_000_000L);
  }

  @Test
  void keysAndManifestRoundTrip() throws Exception {
    String id = BackupKeys.id("10.0.0.1:6379", Instant.parse("2026-11-30T21:14:12.345Z"));
    assertThat(id).isEqualTo("10.0.0.1-6379-20261130T211412345Z");
    assertThat(BackupKeys.objectKey("/valkey/orders/", id)).isEqualTo("valkey/orders/" + id + ".rdb");
    assertThat(BackupKeys.manifestKeyOf("p/" + id + ".rdb")).isEqualTo("p/" + id + ".manifest.json");
    assertThat(BackupKeys.objectKey("", id)).isEqualTo(id + ".rdb");

    Manifest m = manifest("0123");
    assertThat(ManifestJson.read(ManifestJson.write(m))).isEqualTo(m);
    assertThat(new String(ManifestJson.write(m))).contains("\"startedAt\" : \"2026-11-30T21:14:12Z\"");
  }

  @Test
  void manifestJsonKeepsItsFieldOrderIgnoresUnknownFieldsAndRefusesWrongTypesInOneLine()
      throws Exception {
    Manifest m = manifest("0123");
    String json = new String(ManifestJson.write(m), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\n  \"format\" : \"vigil-backup/1\",\n  \"id\" : \"c-1\"")
        .contains("\"offset\" : 42,").contains("\"crc64\" : \"0000000000000005\"")
        .endsWith("\"agent\" : \"t\"\n}");
    // a later format's extra fields (objects and arrays too) are skipped
    String newer = json.replace("\"agent\" : \"t\"",
        "\"agent\" : \"t\", \"tags\" : {\"a\" : [1, 2]}, \"encrypted\" : false");
    assertThat(ManifestJson.read(newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(m);
    assertThat(ManifestJson.read(json.replace("\"crc64\" : \"0000000000000005\"", "\"crc64\" : null")
        .getBytes(StandardCharsets.UTF_8)).crc64()).isNull();

    assertThatThrownBy(() -> ManifestJson.read(json.replace("\"offset\" : 42", "\"offset\" : \"42\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessage("unreadable manifest: offset is not an integer");
    assertThatThrownBy(() -> ManifestJson.read(json.replace("\"size\" : 100,", "")
        .getBytes(StandardCharsets.UTF_8))).hasMessage("unreadable manifest: size is missing");
    assertThatThrownBy(() -> ManifestJson.read(json.replace("2026-11-30T21:14:13Z", "yesterday")
        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("unreadable manifest: finishedAt is not a time: yesterday");
    assertThatThrownBy(() -> ManifestJson.read("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("unreadable manifest: not a JSON object");
    assertThatThrownBy(() -> ManifestJson.read("{\"format\" : ".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("unreadable manifest: ").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ManifestJson.read(json.replace("vigil-backup/1", "other/1")
        .getBytes(StandardCharsets.UTF_8))).hasMessage("not a vigil backup manifest (format other/1)");
  }

  @Test
  void cliJsonWritesMapsListsRecordsAndInstants() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", "c-1");
    row.put("size", 100L);
    row.put("durationSeconds", 1.5);
    row.put("aborted", false);
    row.put("none", null);
    row.put("at", Instant.parse("2026-11-30T21:14:12Z"));
    assertThat(ManifestJson.compact(row)).isEqualTo("{\"id\":\"c-1\",\"size\":100,"
        + "\"durationSeconds\":1.5,\"aborted\":false,\"none\":null,\"at\":\"2026-11-30T21:14:12Z\"}");
    assertThat(ManifestJson.compact(List.of(Map.of("error", "bucket \"b\" does not exist"))))
        .isEqualTo("[{\"error\":\"bucket \\\"b\\\" does not exist\"}]");
    Manifest m = manifest("0123");
    assertThat(ManifestJson.pretty(List.of(m)))
        .isEqualTo("[ " + new String(ManifestJson.write(m), StandardCharsets.UTF_8) + " ]");
    for (List<Manifest> listing : List.of(List.<Manifest>of(), List.of(m), List.of(m, m))) {
      java.io.StringWriter streamed = new java.io.StringWriter();
      try (ManifestJson.ArrayWriter array = ManifestJson.prettyArray(streamed)) {
        listing.forEach(array::add);
      }
      assertThat(streamed).hasToString(ManifestJson.pretty(listing) + System.lineSeparator());
    }
    assertThat(ManifestJson.fields(m)).containsEntry("offset", 42L)
        .containsEntry("startedAt", Instant.parse("2026-11-30T21:14:12Z"))
        .extractingByKey("format").isEqualTo(Manifest.FORMAT);
    assertThat(ManifestJson.fields(m).keySet()).startsWith("format", "id", "cluster", "node");
  }

  @Test
  void restoreVerificationNamesTheMismatch() {
    Manifest m = manifest("aa");
    RdbSummary good = new RdbSummary(100, "aa", new RdbHeader("REDIS", 11), 5, 5);
    assertThat(RestoreAgent.verify(m, good)).isEmpty();
    assertThat(RestoreAgent.verify(m, new RdbSummary(99, "aa", new RdbHeader("REDIS", 11), 5, 5)))
        .hasValueSatisfying(r -> assertThat(r).startsWith("size 99 differs"));
    assertThat(RestoreAgent.verify(m, new RdbSummary(100, "bb", new RdbHeader("REDIS", 11), 5, 5)))
        .hasValueSatisfying(r -> assertThat(r).startsWith("SHA-256 bb differs"));
    assertThat(RestoreAgent.verify(m, new RdbSummary(100, "aa", new RdbHeader("REDIS", 11), 5, 6)))
        .hasValueSatisfying(r -> assertThat(r).contains("checksum mismatch"));
  }

  private static Manifest manifest(String sha) {
    return new Manifest(Manifest.FORMAT, "c-1", "c", "h:1", "master", "abc", 42, "redis", "7.0.15",
        "REDIS0010", 100, sha, "0000000000000005", "b", "p/c-1.rdb",
        Instant.parse("2026-11-30T21:14:12Z"), Instant.parse("2026-11-30T21:14:13Z"), "t");
  }
}
