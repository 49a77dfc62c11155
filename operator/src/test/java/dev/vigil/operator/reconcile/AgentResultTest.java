package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentResultTest {
  @Test
  void theResultIsTheLastJsonLineAndAnythingElseIsNone() {
    AgentResult r = AgentResult.parse("progress 50%\n{\"objectKey\":\"p/c-1.rdb\",\"manifestKey\":\"p/c-1.manifest.json\","
        + "\"size\":42,\"sha256\":\"ab\",\"durationMs\":1500,\"node\":\"n:6379\",\"role\":\"replica\"}\n").orElseThrow();
    assertThat(r).isEqualTo(new AgentResult("p/c-1.rdb", "p/c-1.manifest.json", 42L, "ab", 1500L, "n:6379", "replica"));
    assertThat(AgentResult.parse("{\"objectKey\":\"k\"}").orElseThrow().size()).isNull();
    assertThat(AgentResult.parse("vigil backup: bucket nope does not exist")).isEmpty();
    assertThat(AgentResult.parse("{not json")).isEmpty();
    assertThat(AgentResult.parse("{\"size\":1}")).isEmpty();
    assertThat(AgentResult.parse(null)).isEmpty();
  }

  @Test
  void theAgentsOwnFormatReadsTheSame() {
    AgentResult r = AgentResult.parse("{\"id\":\"c-1\",\"bucket\":\"b\",\"key\":\"p/c-1.rdb\","
        + "\"manifestKey\":\"p/c-1.manifest.json\",\"size\":42,\"sha256\":\"ab\",\"durationSeconds\":1.5}")
        .orElseThrow();
    assertThat(r).isEqualTo(new AgentResult("p/c-1.rdb", "p/c-1.manifest.json", 42L, "ab", 1500L, null, null));
    assertThat(AgentResult.parse("{\"error\":\"bucket nope does not exist\"}")).isEmpty();
    assertThat(AgentResult.failureLine("{\"error\":\"bucket nope does not exist\"}"))
        .isEqualTo("bucket nope does not exist");
  }

  @Test
  void aFailureIsTheLastNonBlankLineBounded() {
    assertThat(AgentResult.failureLine("a\nvigil backup: S3 unreachable\n\n")).isEqualTo("vigil backup: S3 unreachable");
    assertThat(AgentResult.failureLine("x".repeat(1000))).hasSize(300).endsWith("...");
    assertThat(AgentResult.failureLine("  \n")).isNull();
  }

  @Test
  void durationsReadLikeKubectls() {
    assertThat(BackupPlanner.duration(null, null, 65_400L)).isEqualTo("1m5s");
    assertThat(BackupPlanner.duration("2026-12-01T00:00:00Z", "2026-12-01T01:02:03Z", null)).isEqualTo("1h2m3s");
    assertThat(BackupPlanner.duration("2026-12-01T00:00:00Z", null, null)).isNull();
  }
}
