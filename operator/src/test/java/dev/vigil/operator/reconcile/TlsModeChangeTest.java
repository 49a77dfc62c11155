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

  /** The shapes a spec asks for; the phases in between are the operator's, never the spec's. */
  private static final List<TlsMode> SPEC_SHAPES = List.of(OFF, MIGRATION, ON);

  /** A cluster whose spec asks for {@code mode} (a phase: the migration it is part of). */
  static ValkeyCluster cluster(TlsMode mode, int replicas) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").withUid("uid-c")
        .withGeneration(2L).build());
    c.getSpec().replicas = replicas;
    c.getSpec().tls.enabled = mode != OFF;
    c.getSpec().tls.plaintext = mode != OFF && mode != ON;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    return c;
  }

  /** TLS only where a migration's clients moved: its TLS ports became the cluster's ports. */
  static ValkeyCluster migrated(int replicas) {
    ValkeyCluster c = cluster(ON, replicas);
    c.getSpec().port = 6380;
    c.getSpec().sentinel.port = 26381;
    return c;
  }

  static StatefulSet sts(TlsMode mode, int replicas) {
    return sts(cluster(mode, replicas), mode);
  }

  static StatefulSet sts(ValkeyCluster c, TlsMode shape) {
    StatefulSet s = StatefulSetModel.desired(new ModelInput(c, "pw", null, "vigil:test", null, 0, shape));
    s.setStatus(new StatefulSetStatusBuilder().withReplicas(c.getSpec().replicas).withUpdateRevision("rev-" + shape)
        .build());
    return s;
  }

  /** Pod {@code i} as the StatefulSet controller makes it from a template of shape {@code mode}. */
  static Pod pod(TlsMode mode, int i) {
    return pod(cluster(mode, 3), mode, i);
  }

  static Pod pod(ValkeyCluster c, TlsMode shape, int i) {
    return new PodBuilder().withNewMetadata().withName("c-" + i).withNamespace("ns").withUid("uid-" + i)
        .withLabels(Labels.of(c, Labels.VALKEY)).addToLabels(Labels.POD_NAME, "c-" + i)
        .addToLabels("controller-revision-hash", "rev-" + shape).endMetadata()
        .withSpec(sts(c, shape).getSpec().getTemplate().getSpec())
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
      assertThat(TlsMode.of(cluster(m, 3))).isEqualTo(m.phase() ? MIGRATION : m);
    }
    assertThat(TlsMode.of(pod(migrated(3), ON, 0).getSpec())).isEqualTo(ON);
    assertThat(TlsMode.of((io.fabric8.kubernetes.api.model.PodSpec) null)).isEqualTo(OFF);
  }

  @Test
  void plaintextLinksGoEitherWayAndTlsOnlyOnTheSamePortsIsNeitherReachedNorLeft() {
    for (TlsMode from : SPEC_SHAPES) {
      for (TlsMode to : SPEC_SHAPES) {
        TlsModeChange ch = TlsModeChange.of(cluster(to, 3), pods(from, from, from), sts(from, 3));
        boolean crossesLinks = (from == ON) != (to == ON);
        assertThat(ch.refusal().isPresent()).as("%s -> %s", from, to).isEqualTo(crossesLinks);
        assertThat(ch.served()).containsExactly(from);
      }
    }
    assertThat(TlsModeChange.of(cluster(ON, 3), pods(MIGRATION, MIGRATION, MIGRATION), sts(MIGRATION, 3))
        .refusal()).hasValueSatisfying(m -> assertThat(m)
            .startsWith("spec.tls asks for TLS only (plaintext: false) on spec.port 6379 and spec.sentinel.port "
                + "26379 while the pods serve TLS on 6380 and 26381 with plaintext links")
            .contains("nothing was applied", "set spec.port: 6380 and spec.sentinel.port: 26381",
                "keep spec.tls.plaintext: true"));
    assertThat(TlsModeChange.of(cluster(OFF, 3), pods(ON, ON, ON), sts(ON, 3)).refusal())
        .hasValueSatisfying(m -> assertThat(m)
            .startsWith("spec.tls asks for plaintext on spec.port 6379 and spec.sentinel.port 26379 while the pods "
                + "serve TLS on 6379 and 26379")
            .contains("nothing was applied", "ports the pods do not serve TLS on"));
    assertThat(TlsModeChange.of(cluster(MIGRATION, 3), pods(ON, ON, ON), sts(ON, 3)).refusal())
        .hasValueSatisfying(m -> assertThat(m)
            .startsWith("spec.tls asks for plaintext links with TLS on tls.port 6380 and tls.sentinelPort 26381 "
                + "while the pods serve TLS on 6379 and 26379")
            .contains("set spec.tls.port: 6379 and spec.tls.sentinelPort: 26379"));
    assertThat(TlsModeChange.of(cluster(ON, 3), pods(OFF, OFF, OFF), sts(OFF, 3)).refusal())
        .hasValueSatisfying(m -> assertThat(m).startsWith("spec.tls asks for TLS only on spec.port 6379")
            .contains("ports the pods do not serve plaintext on", "four rolling changes"));
  }

  private static TlsModeChange walking(ValkeyCluster spec, ValkeyCluster built, TlsMode... shapes) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < shapes.length - 1; i++) {
      pods.add(pod(shapes[i] == ON ? built : cluster(shapes[i], 3), shapes[i], i));
    }
    TlsMode template = shapes[shapes.length - 1];
    return TlsModeChange.of(spec, pods, sts(template == ON ? built : cluster(template, 3), template));
  }

  /**
   * TLS only on the migration's TLS ports is reached one phase at a time, each a neighbour of
   * every pod's shape, and left the same way back; the phases are built on the plaintext ports
   * the pods serve, which the spec no longer names.
   */
  @Test
  void aMigrationWalksToTlsOnlyOnItsTlsPortsAndBackOnePhaseAtATime() {
    ValkeyCluster on = migrated(3);
    ValkeyCluster migration = cluster(MIGRATION, 3);
    TlsMode by = TlsMode.LINKS_BY_PORT;
    TlsMode addresses = TlsMode.TLS_ADDRESSES;
    // Pods first, the template last.
    TlsModeChange first = walking(on, on, MIGRATION, MIGRATION, MIGRATION, MIGRATION);
    assertThat(first.refusal()).isEmpty();
    assertThat(first.target()).isEqualTo(by);
    assertThat(first.build().getSpec().port).isEqualTo(6379);
    assertThat(first.build().getSpec().sentinel.port).isEqualTo(26379);
    assertThat(first.build().getSpec().tls.port).isEqualTo(6380);
    assertThat(first.build().getSpec().tls.sentinelPort).isEqualTo(26381);
    assertThat(first.build().getSpec().tls.plaintext).isTrue();
    assertThat(on.getSpec().port).as("the spec is left as it is").isEqualTo(6380);
    assertThat(walking(on, on, MIGRATION, by, by, by).target()).isEqualTo(by);
    assertThat(walking(on, on, by, by, by, by).target()).isEqualTo(addresses);
    assertThat(walking(on, on, by, addresses, addresses, addresses).target()).isEqualTo(addresses);
    TlsModeChange last = walking(on, on, addresses, addresses, addresses, addresses);
    assertThat(last.target()).isEqualTo(ON);
    assertThat(last.build()).isSameAs(on);
    assertThat(walking(on, on, addresses, ON, ON, ON).target()).isEqualTo(ON);
    assertThat(walking(on, on, addresses, ON, ON, ON).status()).isEqualTo("tls-addresses, on");

    // Back: TLS stays on the ports it is served on, now tls.port and tls.sentinelPort.
    TlsModeChange back = walking(migration, on, ON, ON, ON, ON);
    assertThat(back.refusal()).isEmpty();
    assertThat(back.target()).isEqualTo(addresses);
    assertThat(List.of(back.build().getSpec().port, back.build().getSpec().sentinel.port,
        back.build().getSpec().tls.port, back.build().getSpec().tls.sentinelPort)).containsExactly(6379, 26379, 6380, 26381);
    assertThat(back.build().getSpec().tls.plaintext).isTrue();
    assertThat(walking(migration, on, ON, addresses, addresses, addresses).target()).isEqualTo(addresses);
    assertThat(walking(migration, on, addresses, addresses, addresses, addresses).target()).isEqualTo(by);
    assertThat(walking(migration, on, by, by, by, by).target()).isEqualTo(MIGRATION);
    // Turning round half-way: one step back from the most advanced pod.
    assertThat(walking(migration, on, by, addresses, addresses, addresses).target()).isEqualTo(by);
    assertThat(walking(on, on, by, addresses, by, by).target()).isEqualTo(addresses);

    // A migration's phases keep their ports until it ends.
    ValkeyCluster moved = cluster(MIGRATION, 3);
    moved.getSpec().port = 6390;
    assertThat(walking(moved, on, addresses, addresses, addresses, addresses).refusal()).hasValueSatisfying(m -> assertThat(m)
        .contains("a migration keeps its ports until it ends"));
  }

  /**
   * The steps that close one protocol's ports wait for the master known at an address of the
   * other, and ask for a switchover meanwhile.
   */
  @Test
  void closingOneProtocolsPortsWaitsForTheMasterOnTheOther() {
    ValkeyCluster on = migrated(3);
    TlsMode addresses = TlsMode.TLS_ADDRESSES;
    List<Pod> pods = List.of(pod(addresses, 0), pod(addresses, 1), pod(addresses, 2));
    StatefulSet template = sts(cluster(addresses, 3), addresses);
    TlsModeChange plainMaster = TlsModeChange.of(on, pods, template, Optional.of(new HostPort("10.0.0.0", 6379)));
    assertThat(plainMaster.target()).isEqualTo(addresses);
    assertThat(plainMaster.moveMasterFirst()).isTrue();
    TlsModeChange tlsMaster = TlsModeChange.of(on, pods, template, Optional.of(new HostPort("10.0.0.0", 6380)));
    assertThat(tlsMaster.target()).isEqualTo(ON);
    assertThat(tlsMaster.moveMasterFirst()).isFalse();

    TlsMode by = TlsMode.LINKS_BY_PORT;
    List<Pod> back = List.of(pod(by, 0), pod(by, 1), pod(by, 2));
    StatefulSet backTemplate = sts(cluster(by, 3), by);
    TlsModeChange tlsStill = TlsModeChange.of(cluster(MIGRATION, 3), back, backTemplate,
        Optional.of(new HostPort("10.0.0.0", 6380)));
    assertThat(tlsStill.target()).isEqualTo(by);
    assertThat(tlsStill.moveMasterFirst()).isTrue();
    assertThat(TlsModeChange.of(cluster(MIGRATION, 3), back, backTemplate, Optional.of(new HostPort("10.0.0.0", 6379)))
        .target()).isEqualTo(MIGRATION);
  }

  @Test
  void daemonsOfADeploymentDoNotWalkAcrossTlsOnly() {
    ValkeyCluster on = migrated(3);
    on.getSpec().sentinel.mode = dev.vigil.operator.api.SentinelSpec.Mode.deployment;
    assertThat(TlsModeChange.of(on, pods(MIGRATION, MIGRATION, MIGRATION), sts(MIGRATION, 3)).refusal())
        .hasValueSatisfying(m -> assertThat(m).contains("sentinel.mode deployment", "nothing was applied"));
    ValkeyCluster migration = cluster(MIGRATION, 3);
    migration.getSpec().sentinel.mode = dev.vigil.operator.api.SentinelSpec.Mode.deployment;
    assertThat(TlsModeChange.of(migration, pods(OFF, OFF, OFF), sts(OFF, 3)).refusal()).as("a roll").isEmpty();
  }

  @Test
  void aNewClusterStartsInAnyShape() {
    for (TlsMode m : SPEC_SHAPES) {
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
    assertThat(TlsModeChange.of(cluster(ON, 3), split, sts(ON, 3)).target()).isEqualTo(ON);
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
