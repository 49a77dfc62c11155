package dev.vigil.resp3.client;

import static dev.vigil.resp3.value.Resp.array;
import static dev.vigil.resp3.value.Resp.bulk;
import static dev.vigil.resp3.value.Resp.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyParsingTest {

  @Test
  void infoIsParsedIntoSectionsInServerOrder() {
    InfoReply info = InfoReply.parse("# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n\r\n"
        + "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
        + "slave0:ip=127.0.0.1,port=6380,state=online,offset=42,lag=0\r\nmaster_repl_offset:42\r\n");
    assertThat(info.sections().keySet()).containsExactly("server", "replication");
    assertThat(info.section("Replication")).containsEntry("role", "master");
    assertThat(info.get("run_id")).isEqualTo("abc");
    assertThat(info.getLong("master_repl_offset", -1)).isEqualTo(42);
    assertThat(info.getLong("missing", -1)).isEqualTo(-1);
    assertThat(InfoReply.fields(info.get("slave0")))
        .containsExactly(java.util.Map.entry("ip", "127.0.0.1"), java.util.Map.entry("port", "6380"),
            java.util.Map.entry("state", "online"), java.util.Map.entry("offset", "42"),
            java.util.Map.entry("lag", "0"));
  }

  /**
   * Sections are split lazily now; what they hold is what the eager line-by-line reading gave
   * (kept here as the oracle), on the shapes a server or a proxy can send.
   */
  @Test
  void lazySectionsHoldWhatALineByLineReadingGives() {
    java.util.List<String> replies = java.util.List.of(
        "# Server\r\nredis_version:7.0.15\r\nexecutable:/usr/bin/redis-server:x\r\n\r\n"
            + "# Clients\r\n\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\n",
        "role:master\nconnected_slaves:0\n",
        "orphan:1\r\n# Server\r\nrun_id:abc\r\n# server\r\nrun_id:def\r\nmore:2\r\n",
        "# Keyspace\r\n",
        "# Keyspace",
        "\r\n\r\n# A\r\nno colon here\r\n:novalue\r\nk:\r\n#B\nx:y",
        "");
    for (String text : replies) {
      InfoReply info = InfoReply.parse(text);
      Map<String, Map<String, String>> expected = lineByLine(text);
      assertThat(info.section("replication")).isEqualTo(expected.getOrDefault("replication", Map.of()));
      assertThat(info.sections()).as(text).isEqualTo(expected);
      assertThat(info.sections().keySet()).containsExactlyElementsOf(expected.keySet());
      assertThat(info).isEqualTo(InfoReply.parse(text));
      for (Map<String, String> fields : expected.values()) {
        fields.forEach((k, v) -> assertThat(info.get(k)).isNotNull());
      }
      // One field read by scanning, before its section is split: what the split gives.
      expected.forEach((section, fields) -> fields.forEach((k, v) ->
          assertThat(InfoReply.parse(text).field(section, k)).as(section + "/" + k).isEqualTo(v)));
      assertThat(InfoReply.parse(text).field("replication", "no_such_field")).isNull();
      assertThat(InfoReply.parse(text).field("no_such_section", "role")).isNull();
    }
  }

  private static Map<String, Map<String, String>> lineByLine(String text) {
    Map<String, Map<String, String>> sections = new java.util.LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\n")) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        current = sections.computeIfAbsent(line.substring(1).trim().toLowerCase(java.util.Locale.ROOT),
            k -> new java.util.LinkedHashMap<>());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      if (current == null) {
        current = sections.computeIfAbsent("", k -> new java.util.LinkedHashMap<>());
      }
      current.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return sections;
  }

  @Test
  void roleRepliesOfEveryKind() {
    RoleReply master = RoleReply.parse(array(bulk("master"), integer(3129659),
        array(array(bulk("127.0.0.1"), bulk("9001"), bulk("3129242")))));
    assertThat(master.isMaster()).isTrue();
    assertThat(master.offset()).isEqualTo(3129659);
    assertThat(master.replicas()).containsExactly(new RoleReply.Replica("127.0.0.1", 9001, 3129242));

    RoleReply replica = RoleReply.parse(
        array(bulk("slave"), bulk("127.0.0.1"), integer(9000), bulk("connected"), integer(3167038)));
    assertThat(replica.isReplica()).isTrue();
    assertThat(replica.masterPort()).isEqualTo(9000);
    assertThat(replica.linkState()).isEqualTo("connected");

    RoleReply sentinel = RoleReply.parse(array(bulk("sentinel"), array(bulk("mymaster"))));
    assertThat(sentinel.monitoredMasters()).containsExactly("mymaster");
  }

  @Test
  void reconnectBackoffDoublesUpToTheCapWithJitter() {
    ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int i = 0; i < 200; i++) {
      assertThat(p.delayMillis(0)).isBetween(50L, 100L);
      assertThat(p.delayMillis(2)).isBetween(200L, 400L);
      assertThat(p.delayMillis(10)).isBetween(500L, 1000L);
      assertThat(p.delayMillis(100)).isBetween(500L, 1000L);
    }
  }
}
