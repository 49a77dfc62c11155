package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** spec.tls in the models: the Certificate, the mounts, the node and daemon config, the probes. */
class TlsModelsTest {
  static ValkeyCluster withCertManager() {
    ValkeyCluster c = ModelsTest.cluster();
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "corp-ca";
    c.getSpec().tls.issuerRef.kind = "ClusterIssuer";
    c.getSpec().tls.duration = "2160h";
    c.getSpec().tls.renewBefore = "360h";
    c.getSpec().tls.dnsNames.add("cache.example.com");
    return c;
  }

  private static ModelInput in(ValkeyCluster c) {
    return ModelsTest.input(c, null);
  }

  private static PodSpec pod(ValkeyCluster c) {
    return StatefulSetModel.desired(in(c)).getSpec().getTemplate().getSpec();
  }

  private static Container container(PodSpec p, String name) {
    return p.getContainers().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theCertificateNamesEveryHostAClientOrPeerDialsForServerAndClientAuth() {
    Certificate cert = CertificateModel.desired(in(withCertManager())).orElseThrow();
    assertThat(cert.getMetadata().getName()).isEqualTo("cache-tls");
    assertThat(cert.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-1"));
    var spec = cert.getSpec();
    assertThat(spec.getSecretName()).isEqualTo("cache-tls");
    assertThat(spec.getSecretTemplate().getLabels()).containsEntry(Labels.NAME, "valkey")
        .containsEntry(Labels.INSTANCE, "cache");
    assertThat(spec.getIssuerRef().getName()).isEqualTo("corp-ca");
    assertThat(spec.getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
    assertThat(spec.getIssuerRef().getGroup()).isEqualTo("cert-manager.io");
    assertThat(spec.getUsages()).contains("server auth", "client auth");
    assertThat(spec.getPrivateKey().getEncoding()).isEqualTo("PKCS8");
    assertThat(spec.getDuration().getValue()).isEqualTo(java.time.Duration.ofHours(2160).toNanos());
    assertThat(spec.getRenewBefore().getValue()).isEqualTo(java.time.Duration.ofHours(360).toNanos());
    List<String> names = spec.getDnsNames();
    for (String svc : List.of("cache", "cache-replicas", "cache-headless", "cache-sentinel")) {
      assertThat(names).contains(svc, svc + ".ns", svc + ".ns.svc", svc + ".ns.svc.cluster.local");
    }
    assertThat(names).contains("*.cache-headless.ns.svc", "*.cache-headless.ns.svc.cluster.local",
        "localhost", "cache.example.com");
    assertThat(spec.getIpAddresses()).containsExactlyInAnyOrder("127.0.0.1", "::1");
    // The pod names the daemons dial: cache-1.cache-headless.ns.svc matches the wildcard.
    assertThat(names).anyMatch(n -> n.startsWith("*.") && "cache-1.cache-headless.ns.svc".endsWith(n.substring(1)));
  }

  @Test
  void noCertificateWithoutCertManagerOrWithoutTls() {
    ValkeyCluster own = ModelsTest.cluster();
    own.getSpec().tls.enabled = true;
    own.getSpec().tls.secretName = "my-tls";
    assertThat(CertificateModel.desired(in(own))).isEmpty();
    assertThat(CertificateModel.desired(in(ModelsTest.cluster()))).isEmpty();
  }

  @Test
  void theSecretIsMountedAsADirectoryInEveryContainerThatReadsIt() {
    ValkeyCluster c = withCertManager();
    c.getSpec().tls.caSecretName = "ca-bundle";
    c.getSpec().tls.caKey = "bundle.pem";
    PodSpec p = pod(c);
    Volume tls = p.getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst().orElseThrow();
    var sources = tls.getProjected().getSources();
    assertThat(sources).extracting(s -> s.getSecret().getName()).containsExactly("cache-tls", "ca-bundle");
    assertThat(sources.get(0).getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("tls.crt->tls.crt", "tls.key->tls.key");
    assertThat(sources.get(1).getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("bundle.pem->ca.crt");
    for (String name : List.of("valkey", "vigil")) {
      assertThat(container(p, name).getVolumeMounts()).filteredOn(m -> m.getName().equals("tls"))
          .singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/tls");
            assertThat(m.getReadOnly()).isTrue();
          });
    }
    // subPath mounts never see a Secret's update: none anywhere.
    assertThat(Stream.concat(p.getContainers().stream(), p.getInitContainers().stream())
        .flatMap(x -> x.getVolumeMounts().stream())).allSatisfy(m -> assertThat(m.getSubPath()).isNull());
    // Without TLS, no volume.
    assertThat(pod(ModelsTest.cluster()).getVolumes()).noneMatch(v -> v.getName().equals("tls"));
  }

  @Test
  void theCaComesFromTheCertificateSecretUnlessNamed() {
    ValkeyCluster c = withCertManager();
    Volume tls = pod(c).getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst().orElseThrow();
    assertThat(tls.getProjected().getSources()).singleElement().satisfies(s ->
        assertThat(s.getSecret().getItems()).extracting(i -> i.getPath())
            .containsExactly("tls.crt", "tls.key", "ca.crt"));
  }

  @Test
  void tlsOnlyNodesAndDaemonsListenOnTheirUsualPortsWithTlsAndNoPlaintext() {
    ValkeyCluster c = withCertManager();
    c.getSpec().tls.clientAuth = TlsSpec.ClientAuth.optional;
    var cm = ConfigMapModel.desired(in(c)).getData();
    String valkey = cm.get(ConfigMapModel.VALKEY_CONF);
    assertThat(valkey).contains("port 0\n", "tls-port 6379\n", "tls-cert-file /etc/tls/tls.crt\n",
        "tls-key-file /etc/tls/tls.key\n", "tls-ca-cert-file /etc/tls/ca.crt\n", "tls-auth-clients optional\n",
        "tls-replication yes\n");
    assertThat(valkey).doesNotContain("\nport 6379\n");
    String vigil = cm.get(ConfigMapModel.VIGIL_CONF);
    assertThat(vigil).contains("  port = 0\n", "  tls {\n    port = 26379\n", "cert-file = \"/etc/tls/tls.crt\"",
        "key-file = \"/etc/tls/tls.key\"", "ca-cert-file = \"/etc/tls/ca.crt\"", "auth-clients = \"optional\"",
        "replication = true");
    // The daemons monitor the node's TLS port.
    assertThat(vigil).contains("port = 6379\n      quorum");
    assertThat(com.typesafe.config.ConfigFactory.parseString(vigil).getInt("vigil.tls.port")).isEqualTo(26379);
  }

  @Test
  void theDaemonItselfReadsTheTlsSettingsOfTheVigilConf(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ValkeyCluster c = withCertManager();
    c.getSpec().tls.clientAuth = TlsSpec.ClientAuth.none;
    java.nio.file.Path file = dir.resolve("vigil.conf");
    java.nio.file.Files.writeString(file, ConfigMapModel.desired(in(c)).getData().get(ConfigMapModel.VIGIL_CONF)
        .replace("/data/vigil-state.conf", dir.resolve("state.conf").toString()));
    var config = dev.vigil.sentinel.config.ConfigLoader.load(file, Map.of()).config();
    assertThat(config.port()).isZero();
    var tls = config.tls();
    assertThat(tls.port()).isEqualTo(26379);
    assertThat(tls.certFile()).hasToString("/etc/tls/tls.crt");
    assertThat(tls.keyFile()).hasToString("/etc/tls/tls.key");
    assertThat(tls.caCertFile()).hasToString("/etc/tls/ca.crt");
    assertThat(tls.authClients()).isEqualTo(dev.vigil.sentinel.config.TlsSettings.ClientAuth.NO);
    assertThat(tls.replication()).isTrue();
  }

  /**
   * A migration's phases, as the daemon reads them: TLS by port to the TLS ports and plaintext
   * to the others, the announced port moving to the TLS one in the second phase; the node pins
   * the port it announces in both.
   */
  @Test
  void theDaemonReadsTheMigrationPhasesLinksByPort(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ValkeyCluster c = withCertManager();
    c.getSpec().tls.plaintext = true;
    for (TlsMode phase : List.of(TlsMode.LINKS_BY_PORT, TlsMode.TLS_ADDRESSES)) {
      ModelInput in = new ModelInput(c, "s3cret", null, "vigil:1", null, 0, phase);
      var cm = ConfigMapModel.desired(in).getData();
      boolean moved = phase == TlsMode.TLS_ADDRESSES;
      assertThat(cm.get(ConfigMapModel.VALKEY_CONF)).contains("port 6379\n", "tls-port 6380\n",
          "tls-replication no\n", "replica-announce-port " + (moved ? 6380 : 6379) + "\n");
      java.nio.file.Path file = dir.resolve(phase.label() + ".conf");
      java.nio.file.Files.writeString(file, cm.get(ConfigMapModel.VIGIL_CONF)
          .replace("/data/vigil-state.conf", dir.resolve(phase.label() + "-state.conf").toString()));
      var config = dev.vigil.sentinel.config.ConfigLoader.load(file, Map.of()).config();
      assertThat(config.port()).isEqualTo(26379);
      assertThat(config.tls().port()).isEqualTo(26381);
      assertThat(config.tls().replication()).isFalse();
      assertThat(config.tls().ports().ports()).containsExactlyInAnyOrder(6380, 26381);
      assertThat(config.announcePort()).isEqualTo(moved ? 26381 : 0);
      assertThat(cm.get(ConfigMapModel.VIGIL_CONF)).contains("port = " + (moved ? 6380 : 6379) + "\n      quorum");
      PodSpec p = StatefulSetModel.desired(in).getSpec().getTemplate().getSpec();
      assertThat(TlsMode.of(p)).isEqualTo(phase);
      assertThat(p.getInitContainers().get(0).getArgs()).containsSequence("--tls-ports", "6380,26381")
          .contains("--cacert", "--cert", "--key", "$(POD_NAME).cache-headless.ns.svc:" + (moved ? 6380 : 6379));
      assertThat(container(p, "vigil").getEnv()).anyMatch(e -> "VIGIL_SELF_NODE".equals(e.getName())
          && e.getValue().endsWith(":" + (moved ? 6380 : 6379)));
    }
  }

  /**
   * Daemons of a Deployment under TLS: the certificate mounted, TLS only on their port, and their
   * shape read back from their pods as the operator's links need it (they announce pod IPs, which
   * peers check against the CA only).
   */
  @Test
  void daemonsOfADeploymentRunTlsTooAndTheirShapeIsReadBack() {
    ValkeyCluster c = withCertManager();
    c.getSpec().sentinel.mode = dev.vigil.operator.api.SentinelSpec.Mode.deployment;
    c.getSpec().sentinel.replicas = 3;
    PodSpec daemon = SentinelDeploymentModel.desired(in(c)).orElseThrow().getSpec().getTemplate().getSpec();
    assertThat(daemon.getVolumes()).extracting(Volume::getName).contains("tls");
    assertThat(container(daemon, "vigil").getVolumeMounts()).anyMatch(m -> "/etc/tls".equals(m.getMountPath()));
    assertThat(TlsMode.of(daemon)).isEqualTo(TlsMode.ON);
    assertThat(StatefulSetModel.desired(in(c)).getSpec().getTemplate().getSpec().getInitContainers().get(0)
        .getArgs()).contains("--tls", "--sentinel");
    c.getSpec().tls.plaintext = true;
    assertThat(TlsMode.of(SentinelDeploymentModel.desired(in(c)).orElseThrow().getSpec().getTemplate().getSpec()))
        .isEqualTo(TlsMode.MIGRATION);
  }

  @Test
  void aMigrationKeepsThePlaintextPortsAndAddsTlsOnItsOwnWithPlaintextLinks() {
    ValkeyCluster c = withCertManager();
    c.getSpec().tls.plaintext = true;
    var cm = ConfigMapModel.desired(in(c)).getData();
    assertThat(cm.get(ConfigMapModel.VALKEY_CONF)).contains("port 6379\n", "tls-port 6380\n",
        "tls-replication no\n", "tls-auth-clients yes\n");
    var vigil = com.typesafe.config.ConfigFactory.parseString(cm.get(ConfigMapModel.VIGIL_CONF));
    assertThat(vigil.getInt("vigil.port")).isEqualTo(26379);
    assertThat(vigil.getInt("vigil.tls.port")).isEqualTo(26381);
    assertThat(vigil.getBoolean("vigil.tls.replication")).isFalse();
    PodSpec p = pod(c);
    assertThat(container(p, "valkey").getPorts()).extracting(x -> x.getName() + ":" + x.getContainerPort())
        .contains("valkey:6379", "valkey-tls:6380");
    assertThat(container(p, "vigil").getPorts()).extracting(x -> x.getName() + ":" + x.getContainerPort())
        .contains("sentinel:26379", "sentinel-tls:26381");
    // Clients find the TLS ports through the same Services, by the containers' port names.
    for (var svc : List.of(WriteServiceModel.desired(in(c)), ReadServiceModel.desired(in(c)))) {
      assertThat(svc.getSpec().getPorts()).extracting(x -> x.getName() + ":" + x.getPort() + "->"
          + x.getTargetPort().getStrVal()).containsExactly("valkey:6379->valkey", "valkey-tls:6380->valkey-tls");
    }
    assertThat(SentinelServiceModel.desired(in(c)).getSpec().getPorts()).extracting(x -> x.getName() + ":" + x.getPort())
        .containsExactly("sentinel:26379", "sentinel-tls:26381");
    c.getSpec().tls.plaintext = false;
    assertThat(WriteServiceModel.desired(in(c)).getSpec().getPorts()).extracting(x -> x.getName())
        .containsExactly("valkey");
  }

  @Test
  void probesSpeakTlsWithThePodsOwnCertificate() {
    ValkeyCluster c = withCertManager();
    c.getSpec().sentinel.mode = dev.vigil.operator.api.SentinelSpec.Mode.sidecar;
    String live = String.join(" ", container(pod(c), "valkey").getLivenessProbe().getExec().getCommand());
    assertThat(live).contains("valkey-cli --tls --cacert /etc/tls/ca.crt --cert /etc/tls/tls.crt "
        + "--key /etc/tls/tls.key -p 6379");
    String plain = String.join(" ", container(pod(ModelsTest.cluster()), "valkey").getLivenessProbe().getExec()
        .getCommand());
    assertThat(plain).contains("valkey-cli -p 6379 -a").doesNotContain("--tls");
  }

  @Test
  void initNodeAsksTlsOnlyDaemonsOverTlsWithThePodsCertificate() {
    ValkeyCluster c = withCertManager();
    c.getSpec().sentinel.mode = dev.vigil.operator.api.SentinelSpec.Mode.sidecar;
    Container init = pod(c).getInitContainers().stream().filter(x -> x.getName().equals("init-node"))
        .findFirst().orElseThrow();
    assertThat(String.join(" ", init.getArgs())).contains("--sentinels-dns cache-headless.ns.svc:26379")
        .contains("--tls --cacert /etc/tls/ca.crt --cert /etc/tls/tls.crt --key /etc/tls/tls.key");
    assertThat(init.getVolumeMounts()).anyMatch(m -> m.getName().equals("tls")
        && m.getMountPath().equals("/etc/tls") && m.getSubPath() == null);
    // While plaintext is kept, the daemons' usual port is the plaintext one: asked without TLS.
    c.getSpec().tls.plaintext = true;
    Container migrating = pod(c).getInitContainers().stream()
        .filter(x -> x.getName().equals("init-node")).findFirst().orElseThrow();
    assertThat(migrating.getArgs()).doesNotContain("--tls");
    Container plain = pod(ModelsTest.cluster()).getInitContainers().stream()
        .filter(x -> x.getName().equals("init-node")).findFirst().orElseThrow();
    assertThat(plain.getArgs()).doesNotContain("--tls");
    assertThat(plain.getVolumeMounts()).noneMatch(m -> m.getName().equals("tls"));
  }

  @Test
  void withoutTlsTheConfigIsWhatItWasSoNoClusterRollsOnUpgrade() {
    ValkeyCluster c = ModelsTest.cluster();
    var cm = ConfigMapModel.desired(in(c)).getData();
    assertThat(cm.get(ConfigMapModel.VALKEY_CONF)).contains("port 6379\n").doesNotContain("tls");
    assertThat(cm.get(ConfigMapModel.VIGIL_CONF)).contains("  port = 26379\n  http-port = 26380\n  announce")
        .doesNotContain("tls");
    Map<String, String> conn = decode(ConnectionSecretModel.desired(in(c)).getData());
    assertThat(conn).containsEntry("tls", "false").doesNotContainKey("tlsPort");
  }

  @Test
  void theConnectionSecretSaysHowToConnectWithTls() {
    Map<String, String> conn = decode(ConnectionSecretModel.desired(in(withCertManager())).getData());
    assertThat(conn).containsEntry("tls", "true").containsEntry("tlsPort", "6379")
        .containsEntry("sentinelTlsPort", "26379").containsEntry("tlsServerName", "cache.ns.svc")
        .containsEntry("caSecret", "cache-tls").containsEntry("caKey", "ca.crt")
        .containsEntry("clientAuth", "required");
  }

  private static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
  @Test
  void thePeerListNamesThePortTheDaemonsLinksUse() {
    ValkeyCluster only = withCertManager();
    only.getSpec().sentinel.port = 26400;
    var conf = com.typesafe.config.ConfigFactory.parseString(
        ConfigMapModel.desired(in(only)).getData().get(ConfigMapModel.VIGIL_CONF));
    // TLS only: spec.sentinel.port is the TLS port, the one the daemons' hellos announce.
    assertThat(conf.getInt("vigil.port")).isZero();
    assertThat(conf.getStringList("vigil.failover.peers")).allMatch(p -> p.endsWith(":26400"));
    ValkeyCluster migrating = withCertManager();
    migrating.getSpec().tls.plaintext = true;
    conf = com.typesafe.config.ConfigFactory.parseString(
        ConfigMapModel.desired(in(migrating)).getData().get(ConfigMapModel.VIGIL_CONF));
    // A migration keeps the daemons' links plaintext: the plain port, not tls.sentinelPort.
    assertThat(conf.getBoolean("vigil.tls.replication")).isFalse();
    assertThat(conf.getStringList("vigil.failover.peers")).allMatch(p -> p.endsWith(":26379"));
  }
}
