package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The backup Job of a cluster with spec.tls: the agent's node options, the certificate volume and
 * its mount, as the source pod serves (TLS only, migration, not yet rolled) and as clientAuth asks.
 */
class BackupJobTlsTest {
  static final String IMAGE = "vigil-backup:test";

  static ValkeyBackup backup() {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("ns").withUid("uid-b").build());
    b.getSpec().cluster = "cache";
    b.getSpec().destination.bucket = "backups";
    return b;
  }

  static ValkeyCluster tlsCluster(TlsSpec.ClientAuth auth) {
    ValkeyCluster c = TlsModelsTest.withCertManager();
    c.getSpec().tls.clientAuth = auth;
    return c;
  }

  /** Pod {@code ordinal} as the StatefulSet controller makes it from the template for {@code c}. */
  static Pod pod(ValkeyCluster c, int ordinal) {
    PodSpec spec = StatefulSetModel.desired(ModelsTest.input(c, null)).getSpec().getTemplate().getSpec();
    return new PodBuilder().withNewMetadata().withName(Names.pod(c, ordinal))
        .withNamespace(c.getMetadata().getNamespace()).endMetadata().withSpec(spec).build();
  }

  static Container agent(Job j) {
    return j.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Volume volume(Job j, String name) {
    return j.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
        .findFirst().orElse(null);
  }

  /** Secret name → the keys projected from it, as "key=path". */
  static Map<String, List<String>> projected(Volume v) {
    return v.getProjected().getSources().stream().map(VolumeProjection::getSecret)
        .collect(Collectors.toMap(s -> s.getName(),
            s -> s.getItems().stream().map((KeyToPath i) -> i.getKey() + "=" + i.getPath()).toList()));
  }

  @Test
  void withoutTlsTheAgentDialsThePlaintextPortAndGetsNoCertificate() {
    ValkeyCluster c = ModelsTest.cluster();
    Job j = BackupJobModel.backup(backup(), c, pod(c, 1), IMAGE);
    assertThat(agent(j).getArgs()).containsExactly("backup", "--node", "cache-1.cache-headless.ns.svc:6379",
        "--cluster", "cache", "--bucket", "backups", "--result-file", "/dev/termination-log");
    assertThat(volume(j, "tls")).isNull();
    assertThat(agent(j).getVolumeMounts()).extracting("mountPath").containsExactly("/tmp");
  }

  @Test
  void tlsOnlyWithRequiredClientAuthPresentsTheGroupsCertificateOnTheNodesPort() {
    ValkeyCluster c = tlsCluster(TlsSpec.ClientAuth.required);
    Job j = BackupJobModel.backup(backup(), c, pod(c, 1), IMAGE);
    assertThat(agent(j).getArgs()).containsExactly("backup", "--node", "cache-1.cache-headless.ns.svc:6379",
        "--tls", "--cacert", "/etc/tls/ca.crt", "--tls-cert", "/etc/tls/tls.crt", "--tls-key", "/etc/tls/tls.key",
        "--cluster", "cache", "--bucket", "backups", "--result-file", "/dev/termination-log");
    Volume v = volume(j, "tls");
    assertThat(projected(v)).containsExactly(Map.entry("cache-tls",
        List.of("tls.crt=tls.crt", "tls.key=tls.key", "ca.crt=ca.crt")));
    assertThat(v.getProjected().getDefaultMode()).isEqualTo(0440);
    assertThat(agent(j).getVolumeMounts()).filteredOn(m -> m.getName().equals("tls")).singleElement()
        .satisfies(m -> {
          assertThat(m.getMountPath()).isEqualTo(TlsParts.DIR);
          assertThat(m.getReadOnly()).isTrue();
          assertThat(m.getSubPath()).isNull();
        });
    var security = j.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(security.getFsGroup()).as("0440 files are readable through the group").isEqualTo(BackupJobModel.AGENT_UID);
    assertThat(security.getRunAsUser()).isEqualTo(BackupJobModel.AGENT_UID);
  }

  @Test
  void optionalClientAuthAlsoPresentsTheCertificate() {
    ValkeyCluster c = tlsCluster(TlsSpec.ClientAuth.optional);
    Job j = BackupJobModel.backup(backup(), c, pod(c, 0), IMAGE);
    assertThat(agent(j).getArgs()).containsSubsequence("--tls", "--cacert", "/etc/tls/ca.crt",
        "--tls-cert", "/etc/tls/tls.crt", "--tls-key", "/etc/tls/tls.key");
  }

  @Test
  void withoutClientAuthOnlyTheCaBundleReachesTheJobFromTheUsersCaSecret() {
    ValkeyCluster c = ModelsTest.cluster();
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.secretName = "my-tls";
    c.getSpec().tls.caSecretName = "corp-ca";
    c.getSpec().tls.caKey = "bundle.pem";
    c.getSpec().tls.clientAuth = TlsSpec.ClientAuth.none;
    Job j = BackupJobModel.backup(backup(), c, pod(c, 2), IMAGE);
    assertThat(agent(j).getArgs()).containsSubsequence("--node", "cache-2.cache-headless.ns.svc:6379",
        "--tls", "--cacert", "/etc/tls/ca.crt", "--cluster").doesNotContain("--tls-cert", "--tls-key");
    assertThat(projected(volume(j, "tls"))).as("the group's key stays out of the Job")
        .containsExactly(Map.entry("corp-ca", List.of("bundle.pem=ca.crt")));
  }

  @Test
  void duringAMigrationTheAgentUsesTheTlsPort() {
    ValkeyCluster c = tlsCluster(TlsSpec.ClientAuth.required);
    c.getSpec().tls.plaintext = true;
    c.getSpec().tls.port = 6390;
    Job j = BackupJobModel.backup(backup(), c, pod(c, 1), IMAGE);
    assertThat(agent(j).getArgs()).containsSubsequence("--node", "cache-1.cache-headless.ns.svc:6390",
        "--tls", "--cacert", "/etc/tls/ca.crt", "--tls-cert", "/etc/tls/tls.crt", "--tls-key", "/etc/tls/tls.key");
  }

  @Test
  void aPodNotYetRolledIsReachedAsItServesNotAsTheSpecSays() {
    // TLS switched on: the source pod still runs the plaintext template.
    ValkeyCluster before = ModelsTest.cluster();
    ValkeyCluster on = tlsCluster(TlsSpec.ClientAuth.required);
    Job j = BackupJobModel.backup(backup(), on, pod(before, 1), IMAGE);
    assertThat(agent(j).getArgs()).containsSubsequence("--node", "cache-1.cache-headless.ns.svc:6379", "--cluster")
        .doesNotContain("--tls");
    assertThat(volume(j, "tls")).isNull();

    // TLS switched off (and spec.port changed) while the pod still serves TLS only with the user's
    // Secret: the Job mounts the Secrets the pod mounts and dials the pod's port.
    ValkeyCluster tlsOnly = ModelsTest.cluster();
    tlsOnly.getSpec().tls.enabled = true;
    tlsOnly.getSpec().tls.secretName = "my-tls";
    ValkeyCluster off = ModelsTest.cluster();
    off.getSpec().port = 7000;
    off.getSpec().tls.clientAuth = TlsSpec.ClientAuth.required;
    Job k = BackupJobModel.backup(backup(), off, pod(tlsOnly, 1), IMAGE);
    assertThat(agent(k).getArgs()).containsSubsequence("--node", "cache-1.cache-headless.ns.svc:6379",
        "--tls", "--cacert", "/etc/tls/ca.crt", "--tls-cert", "/etc/tls/tls.crt");
    assertThat(projected(volume(k, "tls"))).containsOnlyKeys("my-tls");
  }

  @Test
  void theDeleteJobAndTheRestoreInitContainerNeverTalkToANode() {
    ValkeyCluster c = tlsCluster(TlsSpec.ClientAuth.required);
    Job del = BackupJobModel.delete(backup(), "k.rdb", IMAGE);
    assertThat(agent(del).getArgs()).doesNotContain("--tls", "--node");
    assertThat(volume(del, "tls")).isNull();

    RestoreSource r = new RestoreSource(backup().getSpec().destination, "k.rdb", IMAGE);
    PodSpec spec = StatefulSetModel.desired(new ModelInput(c, "pw", null, "vigil:1", r)).getSpec()
        .getTemplate().getSpec();
    Container restore = spec.getInitContainers().stream().filter(x -> x.getName().equals("restore"))
        .findFirst().orElseThrow();
    // vigil restore only fetches from S3 into an emptyDir; restore-place copies a file.
    assertThat(restore.getArgs()).doesNotContain("--tls", "--node");
    assertThat(restore.getVolumeMounts()).extracting("name").doesNotContain("tls");
  }
}
