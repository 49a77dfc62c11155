package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.TlsStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.TlsMaterial;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.TlsMode;
import dev.vigil.testkit.TestCertificates;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans of a TLS cluster from hand-made snapshots: the Certificate, the reloads, the expiry status. */
class TlsPlanTest {
  private static final long NOW = Instant.now().toEpochMilli();
  private final ClusterPlanner planner = new ClusterPlanner(Endpoints.POD_IPS, "vigil:test");
  @TempDir Path dir;

  private static ValkeyCluster cluster() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").withUid("uid-c")
        .withGeneration(1L).withResourceVersion("7").build());
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    return c;
  }

  private static Pod pod(int i) {
    return new PodBuilder().withNewMetadata().withName("c-" + i).withNamespace("ns").withUid("pod-uid-" + i)
        .withLabels(Labels.of(cluster(), Labels.VALKEY)).endMetadata().withNewStatus().withPodIP("10.0.0." + i)
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
  }

  private static final List<Pod> PODS = List.of(pod(0), pod(1), pod(2));

  /** A Secret as cert-manager writes it: leaf valid for {@code days}, key, and the CA. */
  private Secret secret(TestCertificates ca, int days) throws Exception {
    Instant now = Instant.now();
    TestCertificates.Issued leaf = ca.issue("c", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(days)),
        "c.ns.svc");
    Path cert = Files.createTempFile(dir, "tls", ".crt");
    Path key = Files.createTempFile(dir, "tls", ".key");
    Path caFile = Files.createTempFile(dir, "ca", ".crt");
    leaf.writeTo(cert, key);
    ca.writeCertificate(caFile);
    Map<String, String> data = new HashMap<>();
    data.put("tls.crt", b64(Files.readString(cert)));
    data.put("tls.key", b64(Files.readString(key)));
    data.put("ca.crt", b64(Files.readString(caFile)));
    return new SecretBuilder().withNewMetadata().withName("c-tls").withNamespace("ns").withResourceVersion("1")
        .endMetadata().withType("kubernetes.io/tls").withData(data).build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ClusterSnapshot snapshot(ValkeyCluster c, Map<String, HasMetadata> existing,
      Map<String, CommandLedger.Outcome> commands) {
    return new ClusterSnapshot(c, PODS, existing, "pw", null, Optional.of(new HostPort("10.0.0.0", 6379)),
        Optional.empty(), commands, NOW);
  }

  private static Map<String, HasMetadata> with(Secret s) {
    return Map.of(ClusterSnapshot.ref(Secret.class, s.getMetadata().getName()), s);
  }

  private static List<Command.TlsReload> reloads(ClusterPlan p) {
    return p.commands().stream().filter(Command.TlsReload.class::isInstance).map(Command.TlsReload.class::cast)
        .toList();
  }

  @Test
  void theCertificateIsAppliedBeforeThePodsThatMountItsSecret() {
    ClusterPlan p = planner.plan(snapshot(cluster(), Map.of(), Map.of()));
    List<String> kinds = p.apply().stream().map(HasMetadata::getKind).toList();
    assertThat(kinds).contains("Certificate");
    assertThat(kinds.indexOf("Certificate")).isLessThan(kinds.indexOf("StatefulSet"));
    assertThat(reloads(p)).as("no Secret issued yet: nothing to reload").isEmpty();
    Certificate cert = (Certificate) p.apply().get(kinds.indexOf("Certificate"));
    assertThat(cert.getSpec().getSecretName()).isEqualTo("c-tls");
  }

  @Test
  void everyNodeIsAskedToReloadUntilItServesTheSecretsCertificateAndAgainAfterARenewal() throws Exception {
    TestCertificates ca = TestCertificates.authority("test-ca");
    Secret first = secret(ca, 30);
    ClusterPlan p = planner.plan(snapshot(cluster(), with(first), Map.of()));
    List<Command.TlsReload> sent = reloads(p);
    assertThat(sent).extracting(Command.TlsReload::node).containsExactlyInAnyOrder(
        new HostPort("10.0.0.0", 6379), new HostPort("10.0.0.1", 6379), new HostPort("10.0.0.2", 6379));
    assertThat(sent).allSatisfy(r -> {
      assertThat(r.parameters()).containsExactly(Map.entry("tls-cert-file", "/etc/tls/tls.crt"),
          Map.entry("tls-key-file", "/etc/tls/tls.key"), Map.entry("tls-ca-cert-file", "/etc/tls/ca.crt"));
      assertThat(r.material().leafSha256()).isEqualTo(TlsMaterial.sha256(TlsMaterial.certificates(
          new String(Base64.getDecoder().decode(first.getData().get("tls.crt")), StandardCharsets.UTF_8))
          .get(0).getEncoded()));
    });
    String value = sent.get(0).value();

    // Failed just now (the kubelet had not written the files yet): wait, but look again soon.
    Map<String, CommandLedger.Outcome> failed = new HashMap<>();
    Map<String, CommandLedger.Outcome> done = new HashMap<>();
    for (Command.TlsReload r : sent) {
      failed.put(r.slot(), new CommandLedger.Outcome(value, CommandLedger.State.FAILED, NOW - 500));
      done.put(r.slot(), new CommandLedger.Outcome(value, CommandLedger.State.DONE, NOW - 500));
    }
    ClusterPlan waiting = planner.plan(snapshot(cluster(), with(first), failed));
    assertThat(reloads(waiting)).isEmpty();
    assertThat(waiting.recheckAfter()).isPresent();
    assertThat(reloads(planner.plan(new ClusterSnapshot(cluster(), PODS, with(first), "pw", null,
        Optional.of(new HostPort("10.0.0.0", 6379)), Optional.empty(), failed, NOW + Progress.RETRY_FAILED_MS))))
        .hasSize(3);

    assertThat(reloads(planner.plan(snapshot(cluster(), with(first), done)))).isEmpty();
    // cert-manager renewed the certificate: a new value for every node.
    ClusterPlan renewed = planner.plan(snapshot(cluster(), with(secret(ca, 30)), done));
    assertThat(reloads(renewed)).hasSize(3).allSatisfy(r -> assertThat(r.value()).isNotEqualTo(value));
  }

  /**
   * On the walk to TLS only the spec already names TLS only's port while the pods still serve a
   * migration's: each node is reloaded where its pod serves TLS, read from the pod.
   */
  @Test
  void onTheWalkEachNodeIsReloadedWhereItsPodServesTls() throws Exception {
    ValkeyCluster migration = cluster();
    migration.getSpec().tls.plaintext = true;
    io.fabric8.kubernetes.api.model.PodSpec served = dev.vigil.operator.model.StatefulSetModel.desired(
        new dev.vigil.operator.model.ModelInput(migration, "pw", null, "vigil:test")).getSpec().getTemplate().getSpec();
    List<Pod> pods = PODS.stream().map(p -> new PodBuilder(p).withSpec(served).build()).toList();
    ValkeyCluster on = cluster();
    on.getSpec().port = 6380;
    on.getSpec().sentinel.port = 26381;
    ClusterSnapshot walking = new ClusterSnapshot(on, pods, with(secret(TestCertificates.authority("ca"), 30)), "pw",
        null, Optional.of(new HostPort("10.0.0.0", 6379)), Optional.empty(), Map.of(), NOW);
    assertThat(reloads(planner.plan(walking))).extracting(r -> r.node().port()).containsOnly(6380);
  }

  @Test
  void aMigrationReloadsTheTlsPortWhilePlaintextIsKept() throws Exception {
    ValkeyCluster c = cluster();
    c.getSpec().tls.plaintext = true;
    assertThat(reloads(planner.plan(snapshot(c, with(secret(TestCertificates.authority("ca"), 30)), Map.of()))))
        .extracting(r -> r.node().port()).containsOnly(6380);
  }

  @Test
  void statusShowsEachCertificatesExpiryAndWarnsWithinTheThreshold() throws Exception {
    // The test CA is valid for two days; the leaf for thirty.
    TestCertificates ca = TestCertificates.authority("short-lived-ca");
    Secret s = secret(ca, 30);
    ValkeyCluster c = cluster();
    c.getSpec().tls.expiryWarningDays = 1;
    ValkeyClusterStatusView calm = status(planner.plan(snapshot(c, with(s), Map.of())));
    assertThat(calm.tls.certificate).isEqualTo("c-tls");
    assertThat(calm.tls.certificates).extracting(e -> e.secret + "/" + e.key + " " + e.subject)
        .containsExactly("c-tls/tls.crt CN=c", "c-tls/ca.crt CN=short-lived-ca");
    assertThat(Instant.parse(calm.tls.certificates.get(0).notAfter))
        .isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
    assertThat(calm.condition.getStatus()).isEqualTo("False");

    c.getSpec().tls.expiryWarningDays = 7;
    ValkeyClusterStatusView warned = status(planner.plan(snapshot(c, with(s), Map.of())));
    assertThat(warned.condition.getStatus()).isEqualTo("True");
    assertThat(warned.condition.getReason()).isEqualTo("ExpiresSoon");
    assertThat(warned.condition.getMessage()).startsWith("CN=short-lived-ca (c-tls/ca.crt) expires ")
        .doesNotContain("CN=c ");
  }

  @Test
  void withoutTlsThereIsNoTlsStatusNorCondition() {
    ValkeyCluster c = cluster();
    c.getSpec().tls.enabled = false;
    var st = planner.plan(snapshot(c, Map.of(), Map.of())).status().orElseThrow().status();
    assertThat(st.tls).isNull();
    assertThat(st.conditions).noneMatch(x -> TlsStatus.EXPIRING_SOON.equals(x.getType()));
  }

  @Test
  void aCertificateLeftFromEarlierIsDeletedWhenTlsGoesOff() {
    ValkeyCluster c = cluster();
    c.getSpec().tls.enabled = false;
    c.setStatus(new dev.vigil.operator.api.ValkeyClusterStatus());
    c.getStatus().tls = new TlsStatus();
    c.getStatus().tls.certificate = "c-tls";
    Certificate left = new io.fabric8.certmanager.api.model.v1.CertificateBuilder().withMetadata(
        Labels.meta(c, "c-tls", Labels.VALKEY)).build();
    ClusterPlan p = planner.plan(snapshot(c, Map.of(ClusterSnapshot.ref(Certificate.class, "c-tls"), left), Map.of()));
    assertThat(p.delete()).containsExactly(left);
  }

  private record ValkeyClusterStatusView(TlsStatus tls, Condition condition) {}

  private static ValkeyClusterStatusView status(ClusterPlan p) {
    var st = p.status().orElseThrow().status();
    return new ValkeyClusterStatusView(st.tls, st.conditions.stream()
        .filter(x -> TlsStatus.EXPIRING_SOON.equals(x.getType())).findFirst().orElseThrow());
  }

  @Test
  void theOperatorsLinksUseTlsToThePodsBuiltTlsOnlyWhateverTheSpecSays() throws Exception {
    Secret secret = secret(TestCertificates.authority("test-ca"), 30);
    ValkeyCluster off = cluster();
    off.getSpec().tls.enabled = false;
    List<Pod> pods = List.of(TlsModeChangeTest.pod(TlsMode.MIGRATION, 0), TlsModeChangeTest.pod(TlsMode.ON, 1),
        TlsModeChangeTest.pod(TlsMode.ON, 2));
    // TLS switched off in the spec but refused: the pods still serve TLS only and are reached so.
    ClusterSnapshot refused = new ClusterSnapshot(off, pods, with(secret), "pw", null, Optional.empty(),
        Optional.empty(), Map.of(), NOW);
    assertThat(TlsObserved.hosts(refused)).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(TlsObserved.linkMaterial(refused)).isPresent();
    assertThat(TlsObserved.reloads(refused, List.of())).isEmpty();

    // TLS only asked for but refused while the pods keep plaintext links: plaintext to all of them.
    ClusterSnapshot migrating = new ClusterSnapshot(cluster(), List.of(TlsModeChangeTest.pod(TlsMode.MIGRATION, 0),
        TlsModeChangeTest.pod(TlsMode.MIGRATION, 1)), with(secret), "pw", null, Optional.empty(), Optional.empty(),
        Map.of(), NOW);
    assertThat(TlsObserved.hosts(migrating)).isEmpty();
    assertThat(TlsObserved.linkMaterial(migrating)).isEmpty();
    assertThat(TlsObserved.material(migrating)).as("still the material for reloads").isPresent();
  }
}
