package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void theBackupImageFollowsTheDaemonImagesRegistryAndTagUnlessSet() {
    assertThat(OperatorConfig.from(Map.of()).backupImage()).isEqualTo("ghcr.io/vigil-dev/vigil-backup:0.1.0");
    assertThat(OperatorConfig.from(Map.of("VIGIL_OPERATOR_DAEMON_IMAGE", "registry.local:5000/team/vigil:1.2.3"))
        .backupImage()).isEqualTo("registry.local:5000/team/vigil-backup:1.2.3");
    assertThat(OperatorConfig.backupImageBeside("vigil")).isEqualTo("vigil-backup");
    assertThat(OperatorConfig.backupImageBeside("r/vigil@sha256:abc")).isEqualTo("r/vigil-backup");
    assertThat(OperatorConfig.from(Map.of("VIGIL_OPERATOR_BACKUP_IMAGE", "mine/agent:9")).backupImage())
        .isEqualTo("mine/agent:9");
  }
}
