package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD generated from the Java classes at build time, and the committed copies (the one users
 * kubectl-apply, the chart's) equal to it.
 */
class CrdTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/valkeyclusters.vigil.dev-v1.yml");
  static final Path COMMITTED = Path.of("crd/valkeyclusters.vigil.dev-v1.yml");
  static final Path CHART = Path.of("../charts/vigil/crds/valkeyclusters.vigil.dev-v1.yml");

  static CustomResourceDefinition generated() throws IOException {
    return new KubernetesSerialization().unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class);
  }

  @Test
  void theGeneratedCrdHasTheApiUsersExpect() throws IOException {
    CustomResourceDefinition crd = generated();
    assertThat(crd.getMetadata().getName()).isEqualTo("valkeyclusters.vigil.dev");
    assertThat(crd.getSpec().getGroup()).isEqualTo("vigil.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ValkeyCluster");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("vkc");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(v.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
    assertThat(v.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
    assertThat(v.getAdditionalPrinterColumns()).extracting("name")
        .containsExactlyInAnyOrder("Master", "Ready", "Phase", "Age");
    var spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getProperties().get("replicas").getMinimum()).isEqualTo(1.0);
    assertThat(spec.getProperties().get("replicas").getDefault().asInt()).isEqualTo(3);
    assertThat(spec.getProperties().get("sentinel").getProperties().get("mode").getEnum())
        .extracting(Object::toString).containsExactlyInAnyOrder("\"sidecar\"", "\"deployment\"");
    assertThat(spec.getXKubernetesValidations()).anySatisfy(r ->
        assertThat(r.getRule()).contains("self.sentinel.quorum <="));
  }

  @Test
  void theCommittedCopiesAreTheGeneratedCrds() throws IOException {
    for (String file : new String[] {GENERATED.getFileName().toString(), "valkeybackups.vigil.dev-v1.yml",
        "valkeybackupschedules.vigil.dev-v1.yml"}) {
      Path generatedFile = GENERATED.resolveSibling(file);
      String generated = Files.readString(generatedFile);
      for (Path copy : new Path[] {COMMITTED.resolveSibling(file), CHART.resolveSibling(file)}) {
        assertThat(copy).as("%s is missing; copy it from operator/%s", copy, generatedFile).exists();
        assertThat(Files.readString(copy)).as("%s is stale; refresh it with: cp operator/%s %s",
            copy, generatedFile, copy).isEqualTo(generated);
      }
    }
  }

  @Test
  void theBackupCrdIsImmutableInItsSpecAndShowsItsOutcome() throws IOException {
    CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(
        Files.readString(GENERATED.resolveSibling("valkeybackups.vigil.dev-v1.yml")), CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("valkeybackups.vigil.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("vkb");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns()).extracting("name")
        .containsExactlyInAnyOrder("Cluster", "Phase", "Source", "Role", "Size", "Duration", "Age");
    var spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).contains("cluster", "destination");
    assertThat(spec.getProperties().get("destination").getRequired()).contains("bucket");
    assertThat(spec.getProperties().get("target").getDefault().asText()).isEqualTo("preferReplica");
    assertThat(spec.getProperties().get("deletionPolicy").getDefault().asText()).isEqualTo("Retain");
    assertThat(spec.getXKubernetesValidations()).anySatisfy(r -> assertThat(r.getRule()).isEqualTo("self == oldSelf"));
  }
}
