package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Kind scripts' checks on a K3s cluster in a container: install the chart with the images
 * built by Jib, create a ValkeyCluster, check replication and the write Service, then delete the
 * master pod and check a replica is promoted and the Service follows. Needs Docker and the image
 * tarballs; without either it reports itself skipped and says why.
 */
class K3sEndToEndTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DAEMON_IMAGE = ROOT.resolve("sentinel-daemon/target/jib-image.tar");
  private static final Path OPERATOR_IMAGE = ROOT.resolve("operator/target/jib-image.tar");

  @Test
  void deploysAndFailsOverOnARealCluster() throws Exception {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println("K3sEndToEndTest skipped: no Docker engine (run e2e/kind/run-all.sh or this "
          + "test where Docker runs)");
    }
    assumeTrue(docker, "no Docker engine");
    boolean images = Files.exists(DAEMON_IMAGE) && Files.exists(OPERATOR_IMAGE);
    if (!images) {
      System.out.println("K3sEndToEndTest skipped: build the images first: mvn -B -DskipTests "
          + "-pl sentinel-daemon,operator -am package jib:buildTar");
    }
    assumeTrue(images, "image tarballs not built");

    try (K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"))) {
      k3s.start();
      for (Path image : new Path[] {DAEMON_IMAGE, OPERATOR_IMAGE}) {
        k3s.copyFileToContainer(MountableFile.forHostPath(image), "/tmp/image.tar");
        assertThat(k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/image.tar")
            .getExitCode()).isZero();
      }
      String kubeconfig = k3s.getKubeConfigYaml();
      new Helm(ROOT.resolve("charts/vigil")).install().withName("vigil").withNamespace("vigil-system")
          .createNamespace().withKubeConfigContents(kubeconfig)
          .set("image.pullPolicy", "Never").set("replicaCount", 1).waitReady().call();
      try (KubernetesClient k = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
        ValkeyCluster c = new ValkeyCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace("default").build());
        c.getSpec().storage.size = "128Mi";
        c.getSpec().sentinel.downAfterMilliseconds = 3000;
        k.resources(ValkeyCluster.class).inNamespace("default").resource(c).create();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
          ValkeyCluster now = k.resources(ValkeyCluster.class).inNamespace("default").withName("cache").get();
          return now.getStatus() != null && "Ready".equals(now.getStatus().phase);
        });
        String master = k.resources(ValkeyCluster.class).inNamespace("default").withName("cache").get()
            .getStatus().master;
        assertThat(selected(k)).isEqualTo(master);

        k.pods().inNamespace("default").withName(master).delete();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
            .until(() -> !master.equals(selected(k)));
        String promoted = selected(k);
        assertThat(k.resources(ValkeyCluster.class).inNamespace("default").withName("cache").get()
            .getStatus().lastFailover.to).isEqualTo(promoted);
      }
    }
  }

  private static String selected(KubernetesClient k) {
    return k.services().inNamespace("default").withName("cache").get().getSpec().getSelector()
        .get("statefulset.kubernetes.io/pod-name");
  }
}
