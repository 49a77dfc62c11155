package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model classes as pure functions: no API server. */
class ModelsTest {
  static ValkeyCluster cluster() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace("ns").withUid("uid-1").build());
    return c;
  }

  static ModelInput input(ValkeyCluster c, String master) {
    return new ModelInput(c, "s3cret", master, "vigil:1");
  }

  private static Container container(StatefulSet s, String name) {
    return s.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyObjectIsOwnedByItsClusterAndLabelledAsItsOwn() {
    ModelInput in = input(cluster(), null);
    var objects = java.util.List.of(ConfigMapModel.desired(in), WriteServiceModel.desired(in),
        ReadServiceModel.desired(in), HeadlessServiceModel.desired(in), SentinelServiceModel.desired(in),
        StatefulSetModel.desired(in), PodDisruptionBudgetModel.desired(in).orElseThrow(),
        ServiceAccountModel.desired(in), ConnectionSecretModel.desired(in),
        AuthSecretModel.desired(in.cluster(), "s3cret").orElseThrow());
    assertThat(objects).allSatisfy(o -> {
      assertThat(o.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getUid()).isEqualTo("uid-1");
        assertThat(r.getController()).isTrue();
        assertThat(r.getBlockOwnerDeletion()).isTrue();
      });
      assertThat(o.getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "cache")
          .containsEntry(Labels.MANAGED_BY, "vigil-operator");
    });
  }

  @Test
  void theWriteServiceSelectsExactlyTheMasterPod() {
    ValkeyCluster c = cluster();
    assertThat(WriteServiceModel.desired(input(c, null)).getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "cache-0");
    assertThat(WriteServiceModel.desired(input(c, "cache-2")).getSpec().getSelector())
        .containsEntry(Labels.POD_NAME, "cache-2").containsEntry(Labels.COMPONENT, Labels.VALKEY);
    assertThat(ReadServiceModel.desired(input(c, "cache-2")).getSpec().getSelector())
        .doesNotContainKey(Labels.POD_NAME);
    assertThat(HeadlessServiceModel.desired(input(c, null)).getSpec().getPublishNotReadyAddresses()).isTrue();
    c.getSpec().service.type = "LoadBalancer";
    c.getSpec().service.annotations.put("lb", "internal");
    var write = WriteServiceModel.desired(input(c, null));
    assertThat(write.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(write.getMetadata().getAnnotations()).containsEntry("lb", "internal");
  }

  @Test
  void configDerivesMaxmemoryAndKeepsTheUsersDirectivesAfterVigils() {
    ValkeyCluster c = cluster();
    c.getSpec().resources = new ResourceRequirementsBuilder()
        .withLimits(Map.of("memory", new Quantity("1Gi"), "cpu", new Quantity("1"))).build();
    c.getSpec().config.put("appendonly", "yes");
    var cm = ConfigMapModel.desired(input(c, "cache-1"));
    String conf = cm.getData().get(ConfigMapModel.VALKEY_CONF);
    assertThat(conf).contains("maxmemory " + (1L << 30) * 8 / 10, "appendonly yes", "port 6379");
    assertThat(conf.indexOf("appendonly")).isGreaterThan(conf.indexOf("port 6379"));
    assertThat(cm.getData().get(ConfigMapModel.BOOTSTRAP_MASTER)).isEqualTo("cache-1.cache-headless.ns.svc:6379");
    c.getSpec().config.put("maxmemory", "100mb");
    assertThat(ConfigMapModel.desired(input(c, null)).getData().get(ConfigMapModel.VALKEY_CONF))
        .contains("maxmemory 100mb").doesNotContain("maxmemory 858993459");
  }

  @Test
  void minReplicasMaxLagFollowsDownAfterButNeverBelowTwoSeconds() {
    SentinelSpec s = new SentinelSpec();
    s.downAfterMilliseconds = 1_000;
    assertThat(ConfigMapModel.minReplicasMaxLag(s)).isEqualTo(2);
    s.downAfterMilliseconds = 2_500;
    assertThat(ConfigMapModel.minReplicasMaxLag(s)).isEqualTo(3);
    s.downAfterMilliseconds = 30_000;
    assertThat(ConfigMapModel.minReplicasMaxLag(s)).isEqualTo(30);
  }

  @Test
  void scalingAndFailoversDoNotChangeThePodTemplate() {
    ValkeyCluster c = cluster();
    StatefulSet before = StatefulSetModel.desired(input(c, null));
    c.getSpec().replicas = 5;
    StatefulSet after = StatefulSetModel.desired(input(c, "cache-3"));
    assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    // Down to one pod and back (min-replicas-to-write goes off and on: set on running nodes).
    c.getSpec().replicas = 1;
    assertThat(StatefulSetModel.desired(input(c, "cache-0")).getSpec().getTemplate())
        .isEqualTo(before.getSpec().getTemplate());
    c.getSpec().replicas = 5;
    c.getSpec().config.put("appendonly", "yes");
    assertThat(StatefulSetModel.desired(input(c, null)).getSpec().getTemplate().getMetadata().getAnnotations())
        .as("a config change rolls the pods").isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  @Test
  void thePodIsRestrictedGuaranteedAndProbedThroughItsDaemon() {
    ValkeyCluster c = cluster();
    StatefulSet s = StatefulSetModel.desired(input(c, null));
    Container valkey = container(s, "valkey");
    assertThat(valkey.getResources().getLimits()).isEqualTo(valkey.getResources().getRequests());
    assertThat(valkey.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/node-ready");
    assertThat(valkey.getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/prestop");
    assertThat(valkey.getCommand()).contains("$(VALKEY_PASSWORD)").doesNotContain("s3cret");
    assertThat(valkey.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    Container daemon = container(s, "vigil");
    assertThat(daemon.getArgs()).containsExactly("sentinel", "/etc/vigil/vigil.conf");
    assertThat(daemon.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("VIGIL_SELF_NODE"));
    var init = s.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertThat(init.getArgs()).contains("init-node", "--sentinels-dns", "cache-headless.ns.svc:26379",
        "--bootstrap-master-file");
    assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(s.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).extracting("topologyKey")
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    c.getSpec().storage.deleteClaims = true;
    assertThat(StatefulSetModel.desired(input(c, null)).getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenScaled()).isEqualTo("Delete");
  }

  @Test
  void deploymentModeMovesTheDaemonsOutOfThePods() {
    ValkeyCluster c = cluster();
    c.getSpec().sentinel.mode = SentinelSpec.Mode.deployment;
    c.getSpec().sentinel.replicas = 5;
    ModelInput in = input(c, null);
    StatefulSet s = StatefulSetModel.desired(in);
    assertThat(s.getSpec().getTemplate().getSpec().getContainers()).extracting("name").containsExactly("valkey");
    var d = SentinelDeploymentModel.desired(in).orElseThrow();
    assertThat(d.getSpec().getReplicas()).isEqualTo(5);
    assertThat(ConfigMapModel.desired(in).getData().get(ConfigMapModel.VIGIL_CONF)).contains("quorum = 3");
    assertThat(SentinelServiceModel.desired(in).getSpec().getSelector()).containsEntry(Labels.COMPONENT, Labels.SENTINEL);
    c.getSpec().sentinel.mode = SentinelSpec.Mode.sidecar;
    assertThat(SentinelDeploymentModel.desired(input(c, null))).isEmpty();
  }

  @Test
  void aSinglePodHasNoDisruptionBudget() {
    ValkeyCluster c = cluster();
    c.getSpec().replicas = 1;
    assertThat(PodDisruptionBudgetModel.desired(input(c, null))).isEmpty();
    c.getSpec().replicas = 2;
    var pdb = PodDisruptionBudgetModel.desired(input(c, null)).orElseThrow();
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
  }

  @Test
  void secretsCarryThePasswordAndAnExistingSecretIsNeverGenerated() {
    ValkeyCluster c = cluster();
    var auth = AuthSecretModel.desired(c, "s3cret").orElseThrow();
    assertThat(new String(Base64.getDecoder().decode(auth.getData().get("password")), StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
    var conn = ConnectionSecretModel.desired(input(c, null)).getData();
    assertThat(new String(Base64.getDecoder().decode(conn.get("host")), StandardCharsets.UTF_8))
        .isEqualTo("cache.ns.svc");
    assertThat(new String(Base64.getDecoder().decode(conn.get("masterName")), StandardCharsets.UTF_8))
        .isEqualTo("cache");
    c.getSpec().auth.existingSecret = "mine";
    c.getSpec().auth.passwordKey = "pw";
    assertThat(AuthSecretModel.desired(c, "x")).isEmpty();
    assertThat(AuthSecretModel.secretName(c)).isEqualTo("mine");
    assertThat(container(StatefulSetModel.desired(input(c, null)), "valkey").getEnv())
        .anySatisfy(e -> assertThat(e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
            && e.getValueFrom().getSecretKeyRef().getName().equals("mine")
            && e.getValueFrom().getSecretKeyRef().getKey().equals("pw")).isTrue());
    assertThat(AuthSecretModel.RANDOM.get()).hasSize(64).isNotEqualTo(AuthSecretModel.RANDOM.get());
  }
  private static com.typesafe.config.Config vigilConf(ModelInput in) {
    return com.typesafe.config.ConfigFactory.parseString(
        ConfigMapModel.desired(in).getData().get(ConfigMapModel.VIGIL_CONF));
  }

  @Test
  void sidecarDaemonsListEveryPodsDaemonAsTheirPeers() {
    ValkeyCluster c = cluster();
    c.getSpec().replicas = 3;
    assertThat(vigilConf(input(c, null)).getStringList("vigil.failover.peers")).containsExactly(
        "cache-0.cache-headless.ns.svc:26379", "cache-1.cache-headless.ns.svc:26379",
        "cache-2.cache-headless.ns.svc:26379");
    // A scale-in under way: the pods not removed yet still run daemons, so they stay listed.
    var shrinking = new ModelInput(c, "s3cret", null, "vigil:1", null, 5);
    assertThat(vigilConf(shrinking).getStringList("vigil.failover.peers")).hasSize(5)
        .endsWith("cache-4.cache-headless.ns.svc:26379");
    c.getSpec().sentinel.port = 26400;
    assertThat(vigilConf(input(c, null)).getStringList("vigil.failover.peers"))
        .allMatch(p -> p.endsWith(":26400"));
  }

  @Test
  void deploymentDaemonsHaveNoPeerListAndKeepTheTimedQuarantine() {
    ValkeyCluster c = cluster();
    c.getSpec().sentinel.mode = SentinelSpec.Mode.deployment;
    c.getSpec().sentinel.replicas = 3;
    String conf = ConfigMapModel.desired(input(c, null)).getData().get(ConfigMapModel.VIGIL_CONF);
    assertThat(vigilConf(input(c, null)).hasPath("vigil.failover.peers")).isFalse();
    assertThat(conf).contains("No failover.peers", "fresh-identity quarantine");
  }

  @Test
  void scalingChangesThePeerListButRollsNoPod() {
    ValkeyCluster c = cluster();
    c.getSpec().replicas = 3;
    String three = ConfigMapModel.configHash(input(c, null));
    String listed = ConfigMapModel.desired(input(c, null)).getData().get(ConfigMapModel.VIGIL_CONF);
    c.getSpec().replicas = 5;
    assertThat(ConfigMapModel.desired(input(c, null)).getData().get(ConfigMapModel.VIGIL_CONF))
        .isNotEqualTo(listed);
    assertThat(ConfigMapModel.configHash(input(c, null))).isEqualTo(three);
    assertThat(ConfigMapModel.configHash(new ModelInput(c, "s3cret", null, "vigil:1", null, 7)))
        .isEqualTo(three);
    // What the daemons read at start and is not about the size still rolls them.
    c.getSpec().sentinel.port = 26400;
    assertThat(ConfigMapModel.configHash(input(c, null))).isNotEqualTo(three);
  }
}
