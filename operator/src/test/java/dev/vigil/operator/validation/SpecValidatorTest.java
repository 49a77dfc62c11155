package dev.vigil.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyClusterSpec;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void theDefaultsAreValid() {
    assertThat(SpecValidator.problems(new ValkeyClusterSpec())).isEmpty();
  }

  @Test
  void directivesVigilOwnsAreRefusedWithTheReason() {
    ValkeyClusterSpec s = new ValkeyClusterSpec();
    s.config.put("replicaof", "10.0.0.1 6379");
    s.config.put("Requirepass", "x");
    s.config.put("appendonly", "yes");
    s.config.put("bad key", "1");
    s.config.put("maxmemory-policy", "allkeys-lru\nrequirepass x");
    assertThat(SpecValidator.problems(s)).containsExactlyInAnyOrder(
        "spec.config.replicaof is set by Vigil and cannot be overridden; remove it",
        "spec.config.Requirepass is set by Vigil and cannot be overridden; remove it",
        "spec.config key 'bad key' is not a valkey.conf directive name",
        "spec.config.maxmemory-policy must be a single line");
  }

  @Test
  void quorumMustFitTheDaemons() {
    ValkeyClusterSpec s = new ValkeyClusterSpec();
    s.sentinel.quorum = 4;
    assertThat(SpecValidator.problems(s)).singleElement().asString().contains("quorum 4", "one per pod");
    s.sentinel.mode = SentinelSpec.Mode.deployment;
    s.sentinel.replicas = 5;
    assertThat(SpecValidator.problems(s)).isEmpty();
  }

  @Test
  void numbersAndQuantitiesAreChecked() {
    ValkeyClusterSpec s = new ValkeyClusterSpec();
    s.replicas = 0;
    s.storage.size = "lots";
    s.sentinel.downAfterMilliseconds = 10;
    s.sentinel.failoverTimeout = 5;
    s.sentinel.port = 6379;
    assertThat(SpecValidator.problems(s)).hasSize(5)
        .anyMatch(p -> p.startsWith("spec.replicas must be at least 1"))
        .anyMatch(p -> p.startsWith("spec.storage.size"))
        .anyMatch(p -> p.contains("differ from spec.port"));
  }
}
