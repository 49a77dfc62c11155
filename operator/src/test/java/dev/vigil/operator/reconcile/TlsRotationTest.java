package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.Operator;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.RespGroupCommands;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole operator (mock API server in CRUD mode) and a real TLS-only, mutual-TLS
 * redis-server standing in for the cluster's node: a renewed certificate Secret makes the
 * operator CONFIG SET the node's file paths until the node serves the new certificate, with no
 * restart; before the kubelet would have written the files, it keeps asking.
 */
@EnableKubernetesMockClient(crud = true)
class TlsRotationTest {
  static KubernetesClient client;
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  private static Map<String, String> data(Path cert, Path key, Path ca) throws Exception {
    return Map.of("tls.crt", b64(Files.readString(cert)), "tls.key", b64(Files.readString(key)),
        "ca.crt", b64(Files.readString(ca)));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static X509Certificate served(ValkeyServer node, TestCertificates.Issued client, TestCertificates ca)
      throws Exception {
    try (SSLSocket s = (SSLSocket) client.sslContext(ca.certificate()).getSocketFactory()
        .createSocket(node.host(), node.port())) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void aRenewedSecretIsLoadedByTheRunningNodeOnceItsFilesChange() throws Exception {
    TestCertificates ca = TestCertificates.authority("group-ca");
    TlsFiles files = ca.writeLoopback(dir, "node");
    ValkeyServer node = servers.start(ValkeyServer.builder().tls(files).password("secret"));
    long pid = node.pid();
    TestCertificates.Issued probe = ca.issue("probe", "localhost");
    X509Certificate original = served(node, probe, ca);

    client.secrets().inNamespace("apps").resource(new SecretBuilder().withNewMetadata().withName("pw")
        .endMetadata().withStringData(Map.of("password", "secret")).build()).create();
    client.secrets().inNamespace("apps").resource(new SecretBuilder().withNewMetadata().withName("life-tls")
        .endMetadata().withType("kubernetes.io/tls").withData(data(files.cert(), files.key(), files.caCert()))
        .build()).create();

    // The node of every pod is the real server; no daemon runs (they would agree on pod 0).
    Endpoints local = new Endpoints() {
      @Override
      public List<HostPort> daemons(ValkeyCluster c, List<Pod> pods) {
        return List.of();
      }

      @Override
      public Optional<String> podFor(ValkeyCluster c, HostPort master, List<Pod> pods) {
        return Endpoints.byAddress(c, master, pods);
      }

      @Override
      public HostPort node(ValkeyCluster c, Pod pod) {
        return new HostPort(node.host(), node.port());
      }
    };
    OperatorConfig config = OperatorConfig.from(Map.of("POD_NAMESPACE", "ops", "POD_NAME", "op",
        "VIGIL_OPERATOR_METRICS_PORT", "0", "VIGIL_OPERATOR_RESYNC", "1s",
        "VIGIL_OPERATOR_LEADER_ELECTION", "false"));
    Operator.TrackerFactory daemonsAgree = (loops, listener, resync) ->
        new FakeMasters().everyone(new HostPort("10.1.0.10", 6379));
    try (Operator op = new Operator(client, config, new CreateOrReplaceApplier(client), local, daemonsAgree,
        RespGroupCommands::new)) {
      op.run();
      ValkeyCluster c = new ValkeyCluster();
      c.setMetadata(new ObjectMetaBuilder().withName("life").withNamespace("apps").build());
      c.getSpec().replicas = 1;
      c.getSpec().auth.existingSecret = "pw";
      c.getSpec().tls.enabled = true;
      c.getSpec().tls.secretName = "life-tls";
      client.resources(ValkeyCluster.class).inNamespace("apps").resource(c).create();
      FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "10.1.0." + (10 + i));
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        pods.sync("apps");
        ValkeyCluster now = client.resources(ValkeyCluster.class).inNamespace("apps").withName("life").get();
        return now.getStatus() != null && now.getStatus().tls != null && now.getStatus().readyReplicas == 1;
      });
      assertThat(served(node, probe, ca)).isEqualTo(original);

      // cert-manager (or whoever owns the Secret) renews it; the pod's files are not updated yet.
      Instant notAfter = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      TestCertificates.Issued renewed = ca.issue("node", Instant.now().minus(Duration.ofHours(1)), notAfter,
          "127.0.0.1", "localhost");
      Path newCert = dir.resolve("renewed.crt");
      Path newKey = dir.resolve("renewed.key");
      renewed.writeTo(newCert, newKey);
      Secret s = client.secrets().inNamespace("apps").withName("life-tls").get();
      s.setData(data(newCert, newKey, files.caCert()));
      client.secrets().inNamespace("apps").resource(s).update();
      // The operator has seen it (status shows the new expiry) and asked the node, in vain.
      await().atMost(Duration.ofSeconds(20)).until(() -> notAfter.toString().equals(client.resources(
          ValkeyCluster.class).inNamespace("apps").withName("life").get().getStatus().tls.certificates.get(0).notAfter));
      assertThat(served(node, probe, ca)).isEqualTo(original);

      // The kubelet swaps the files in: the operator's next attempt takes, without a restart.
      Files.copy(newCert, files.cert(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(newKey, files.key(), StandardCopyOption.REPLACE_EXISTING);
      await().atMost(Duration.ofSeconds(30)).until(() -> served(node, probe, ca).equals(renewed.certificate()));
      assertThat(node.isAlive()).isTrue();
      assertThat(node.pid()).isEqualTo(pid);
      var status = client.resources(ValkeyCluster.class).inNamespace("apps").withName("life").get().getStatus();
      assertThat(status.conditions).anySatisfy(x -> {
        assertThat(x.getType()).isEqualTo("CertificateExpiringSoon");
        // The test CA lives two days: within the default seven.
        assertThat(x.getStatus()).isEqualTo("True");
        assertThat(x.getMessage()).contains("CN=group-ca");
      });
    }
  }
}
