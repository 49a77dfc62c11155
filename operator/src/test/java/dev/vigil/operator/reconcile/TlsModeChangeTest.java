package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.StatefulSetModel;
import dev.vigil.operator.model.TlsMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which changes of spec.tls a running cluster may take as a rolling change, decided from the
 * shapes its pods were built in (pods and StatefulSet made by the real models).
 */
class TlsModeChangeTest {
  private static final TlsMode OFF = TlsMode.OFF;
  private static final TlsMode MIGRATION = TlsMode.MIGRATION;
  private static final TlsMode ON = TlsMode.ON;

  static ValkeyCluster cluster(TlsMode mode, int replicas) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").withUid("uid-c")
        .withGeneration(2L).build());
    c.getSpec().replicas = replicas;
    c.getSpec().tls.enabled = mode != OFF;
    c.getSpec().tls.plaintext = mode == MIGRATION;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    return c;
  }

  static StatefulSet sts(TlsMode mode, int replicas) {
    StatefulSet s = StatefulSetModel.desired(new ModelInput(cluster(mode, replicas), "pw", null, "vigil:test"));
    s.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withUpdateRevision("rev-" + mode).build());
    return s;
  }

  /** Pod {@code i} as the StatefulSet controller makes it from a template of shape {@code mode}. */
  static Pod pod(TlsMode mode, int i) {
    return new PodBuilder().withNewMetadata().withName("c-" + i).withNamespace("ns").withUid("uid-" + i)
        .withLabels(Labels.of(cluster(mode, 3), Labels.VALKEY)).addToLabels(Labels.POD_NAME, "c-" + i)
        .addToLabels("controller-revision-hash", "rev-" + mode).endMetadata()
        .withSpec(sts(mode, 3).getSpec().getTemplate().getSpec())
        .withNewStatus().withPodIP("10.0.0." + i).addNewCondition().withType("Ready").withStatus("True")
        .endCondition().endStatus().build();
  }

  private static List<Pod> pods(TlsMode... modes) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < modes.length; i++) {
      out.add(pod(modes[i], i));
    }
    return out;
  }

  @Test
  void aPodsShapeIsReadBackFromWhatTheModelPutInIt() {
    for (TlsMode m : TlsMode.values()) {
      assertThat(TlsMode.of(pod(m, 0).getSpec())).as("%s", m).isEqualTo(m);
      assertThat(TlsMode.of(cluster(m, 3))).isEqualTo(m);
    }
    assertThat(TlsMode.of((io.fabric8.kubernetes.api.model.PodSpec) null)).isEqualTo(OFF);
  }

  @Test
  void plaintextLinksGoEitherWayAndTlsOnlyIsNeitherReachedNorLeft() {
    for (TlsMode from : TlsMode.values()) {
      for (TlsMode to : TlsMode.values()) {
        TlsModeChange ch = TlsModeChange.of(cluster(to, 3), pods(from, from, from), sts(from, 3));
        boolean crossesLinks = (from == ON) != (to == ON);
        assertThat(ch.refusal().isPresent()).as("%s -> %s", from, to).isEqualTo(crossesLinks);
        assertThat(ch.served()).containsExactly(from);
      }
    }
    assertThat(TlsModeChange.of(cluster(ON, 3), pods(MIGRATION, MIGRATION, MIGRATION), sts(MIGRATION, 3))
        .refusal()).hasValueSatisfying(m -> assertThat(m)
            .startsWith("spec.tls asks for TLS only (plaintext: false) while the pods run with plaintext links "
                + "(migration)")
            .contains("nothing was applied", "keep spec.tls.plaintext: true", "spec.restore"));
    assertThat(TlsModeChange.of(cluster(OFF, 3), pods(ON, ON, ON), sts(ON, 3)).refusal())
        .hasValueSatisfying(m -> assertThat(m)
            .startsWith("spec.tls asks for plaintext links (off) while the pods run TLS only")
            .contains("set spec.tls back to enabled: true, plaintext: false"));
  }

  @Test
  void aNewClusterStartsInAnyShape() {
    for (TlsMode m : TlsMode.values()) {
      TlsModeChange ch = TlsModeChange.of(cluster(m, 3), List.of(), null);
      assertThat(ch.refusal()).isEmpty();
      assertThat(ch.status()).isEqualTo(m == OFF ? null : m.label());
    }
  }

  @Test
  void aLonePodSwitchesEitherWayButNotWhileScalingOut() {
    assertThat(TlsModeChange.of(cluster(ON, 1), pods(MIGRATION), sts(MIGRATION, 1)).refusal()).isEmpty();
    assertThat(TlsModeChange.of(cluster(OFF, 1), pods(ON), sts(ON, 1)).refusal()).isEmpty();
    // Scaling out at the same time would start new TLS-only pods beside the plaintext one.
    assertThat(TlsModeChange.of(cluster(ON, 3), pods(MIGRATION), sts(MIGRATION, 1)).refusal()).isPresent();
    // A scale-in to one pod is not done while the others still run.
    assertThat(TlsModeChange.of(cluster(ON, 1), pods(MIGRATION, MIGRATION), sts(MIGRATION, 2)).refusal())
        .isPresent();
  }

  @Test
  void aRollBetweenOffAndMigrationMayTurnBackButNotOnToTlsOnly() {
    List<Pod> halfway = pods(MIGRATION, OFF, OFF);
    assertThat(TlsModeChange.of(cluster(OFF, 3), halfway, sts(MIGRATION, 3)).refusal()).isEmpty();
    assertThat(TlsModeChange.of(cluster(MIGRATION, 3), halfway, sts(MIGRATION, 3)).status())
        .isEqualTo("off, migration");
    assertThat(TlsModeChange.of(cluster(ON, 3), halfway, sts(MIGRATION, 3)).refusal()).isPresent();
    // The template already changed counts too: the next pod made would be of its shape.
    assertThat(TlsModeChange.of(cluster(OFF, 3), pods(OFF, OFF, OFF), sts(ON, 3)).refusal()).isEmpty();
  }

  @Test
  void podsAlreadySplitAcrossTlsOnlyMayFinishTheRollEitherWay() {
    // Left so by an operator that did not refuse: they talk again only once all have one shape.
    List<Pod> split = pods(ON, MIGRATION, MIGRATION);
    assertThat(TlsModeChange.of(cluster(ON, 3), split, sts(ON, 3)).refusal()).isEmpty();
    assertThat(TlsModeChange.of(cluster(MIGRATION, 3), split, sts(ON, 3)).refusal()).isEmpty();
    assertThat(TlsModeChange.of(cluster(ON, 3), split, sts(ON, 3)).status()).isEqualTo("migration, on");
  }

  @Test
  void aStatusOnlyWhileTlsIsOrWasAnywhere() {
    assertThat(TlsModeChange.of(cluster(OFF, 3), pods(OFF, OFF, OFF), sts(OFF, 3)).status()).isNull();
    assertThat(TlsModeChange.of(cluster(OFF, 3), pods(MIGRATION, OFF, OFF), sts(OFF, 3)).status())
        .isEqualTo("off, migration");
    assertThat(TlsModeChange.of(cluster(MIGRATION, 3), pods(OFF, OFF, OFF), sts(OFF, 3)).status())
        .isEqualTo("off");
    assertThat(TlsModeChange.of(cluster(ON, 3), pods(ON, ON, ON), sts(ON, 3)).served()).isEqualTo(Set.of(ON));
  }

  private static ClusterSnapshot snapshot(ValkeyCluster c, List<Pod> pods, StatefulSet sts) {
    Map<String, HasMetadata> existing = Map.of(ClusterSnapshot.ref(StatefulSet.class, "c"), sts);
    return new ClusterSnapshot(c, pods, existing, "pw", null, Optional.of(new HostPort("10.0.0.0", 6379)),
        Optional.empty(), Map.of(), 1_000_000L);
  }

  @Test
  void aRefusedChangeAppliesNothingSendsNothingAndSaysWhyInTheStatus() {
    ClusterPlanner planner = new ClusterPlanner(Endpoints.POD_IPS, "vigil:test");
    ClusterPlan p = planner.plan(snapshot(cluster(ON, 3), pods(MIGRATION, MIGRATION, MIGRATION),
        sts(MIGRATION, 3)));
    assertThat(p.apply()).isEmpty();
    assertThat(p.delete()).isEmpty();
    assertThat(p.replacePod()).isNull();
    assertThat(p.commands()).isEmpty();
    ValkeyClusterStatus st = p.status().orElseThrow().status();
    assertThat(st.phase).isEqualTo("Invalid");
    assertThat(st.conditions).filteredOn(x -> ValkeyClusterStatus.SPEC_INVALID.equals(x.getType()))
        .singleElement().satisfies(x -> {
          assertThat(x.getStatus()).isEqualTo("True");
          assertThat(x.getMessage()).contains("spec.tls asks for TLS only");
        });
    assertThat(p.status().get().events()).extracting(StatusPlan.Event::reason).containsExactly("SpecInvalid");
  }

  @Test
  void anAllowedChangeRollsTheTemplateAndReportsTheShapesServed() {
    ClusterPlanner planner = new ClusterPlanner(Endpoints.POD_IPS, "vigil:test");
    ClusterPlan p = planner.plan(snapshot(cluster(OFF, 3), pods(MIGRATION, MIGRATION, MIGRATION),
        sts(MIGRATION, 3)));
    StatefulSet next = p.apply().stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
        .findFirst().orElseThrow();
    assertThat(TlsMode.of(next.getSpec().getTemplate().getSpec())).isEqualTo(OFF);
    assertThat(p.status().orElseThrow().status().tlsMode).isEqualTo("migration");
  }
}
