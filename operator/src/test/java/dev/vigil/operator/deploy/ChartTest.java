package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, offline: lint, render with helm-java (which bundles Helm), parse every
 * document into typed fabric8 objects and check what matters.
 */
class ChartTest {
  static final Path CHART = Path.of("../charts/vigil");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static List<HasMetadata> render(Object... keyValues) {
    var t = new Helm(CHART).template().withName("vigil").withNamespace("vigil-system");
    for (int i = 0; i < keyValues.length; i += 2) {
      t = t.set((String) keyValues[i], keyValues[i + 1]);
    }
    String out = t.call();
    List<HasMetadata> docs = new ArrayList<>();
    for (String doc : out.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        docs.add(YAML.unmarshal(doc));
      }
    }
    return docs;
  }

  static <T> T only(List<HasMetadata> docs, Class<T> kind) {
    List<T> of = docs.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  @Test
  void lintPasses() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
  }

  @Test
  void theOperatorDeploymentIsHighlyAvailableRestrictedAndProbed() {
    List<HasMetadata> docs = render();
    assertThat(docs).extracting(HasMetadata::getKind).contains("Deployment", "ServiceAccount",
        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service");
    Deployment d = only(docs, Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/vigil-dev/vigil-operator:0.1.0");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getResources().getLimits()).isEqualTo(c.getResources().getRequests());
    assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("VIGIL_OPERATOR_LEASE_NAME"));
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("VIGIL_OPERATOR_BACKUP_IMAGE")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("ghcr.io/vigil-dev/vigil-backup:0.1.0"));
  }

  @Test
  void watchingNamespacesUsesRolesThereAndAServiceMonitorWhenAsked() {
    List<HasMetadata> docs = render("watchNamespaces[0]", "apps", "watchNamespaces[1]", "cache",
        "metrics.serviceMonitor.enabled", "true");
    assertThat(docs).noneMatch(ClusterRole.class::isInstance);
    assertThat(docs.stream().filter(Role.class::isInstance).map(o -> o.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("apps", "cache", "vigil-system");
    assertThat(docs).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    Deployment d = only(docs, Deployment.class);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("VIGIL_OPERATOR_NAMESPACES");
          assertThat(e.getValue()).isEqualTo("apps,cache");
        });
  }

  @Test
  void certificatesAreGrantedForSpecTlsUnlessCertManagerIsOff() {
    var rule = only(render(), ClusterRole.class).getRules().stream()
        .filter(r -> r.getApiGroups().contains("cert-manager.io")).toList();
    assertThat(rule).singleElement().satisfies(r -> {
      assertThat(r.getResources()).containsExactly("certificates");
      // Read one by one (no informer): no list or watch.
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch", "delete");
    });
    assertThat(only(render("certManager.enabled", "false"), ClusterRole.class).getRules())
        .noneMatch(r -> r.getApiGroups().contains("cert-manager.io"));
    List<HasMetadata> namespaced = render("watchNamespaces[0]", "apps");
    assertThat(namespaced.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .filter(r -> r.getMetadata().getNamespace().equals("apps")).findFirst().orElseThrow().getRules())
        .anyMatch(r -> r.getApiGroups().contains("cert-manager.io"));
  }

  /** Every rule the chart grants, with the Lease role, for RbacTest. */
  static List<PolicyRule> grantedRules() {
    List<HasMetadata> docs = render();
    List<PolicyRule> rules = new ArrayList<>(only(docs, ClusterRole.class).getRules());
    docs.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .forEach(r -> rules.addAll(r.getRules()));
    return rules;
  }
}
