package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.api.ValkeyClusterStatus;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.TlsMode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes of spec.tls on a running three-pod cluster, through the whole reconciler against
 * fabric8's mock API server (CRUD mode): the ones that cannot roll compatibly are refused with
 * nothing applied, the others roll replicas first, then switch the master over, then replace it.
 */
@EnableKubernetesMockClient(crud = true)
class TlsModeRollTest {
  static KubernetesClient client;
  private static final String NS = "tlsmode";

  private MockOperator op;

  /** Also an operator restart: a new one knows nothing but the cluster's objects. */
  @BeforeEach
  void setUp() {
    op = new MockOperator(client, "generated-password", "10.0.1.");
  }

  /**
   * The daemons agree on pod {@code ordinal}, known where its shape announces it: its TLS port once
   * the addresses moved there, its plaintext port before.
   */
  private void elect(String name, int ordinal) {
    Pod pod = client.pods().inNamespace(NS).withName(name + "-" + ordinal).get();
    int port = 6379;
    if (pod != null) {
      TlsMode shape = TlsMode.of(pod.getSpec());
      String named = shape == TlsMode.TLS_ADDRESSES ? "valkey-tls" : "valkey";
      port = dev.vigil.operator.model.TlsParts.containerPort(pod.getSpec(), named).orElse(6379);
    }
    op.masters.elect(NS + "/" + name, new HostPort("10.0.1." + (10 + ordinal), port));
  }

  private ValkeyCluster get(String name) {
    return client.resources(ValkeyCluster.class).inNamespace(NS).withName(name).get();
  }

  private void edit(String name, Consumer<TlsSpec> change) {
    ValkeyCluster c = get(name);
    change.accept(c.getSpec().tls);
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();
  }

  private static void tlsOnly(TlsSpec t) {
    t.enabled = true;
    t.plaintext = false;
  }

  private ValkeyCluster migrating(String name) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.plaintext = true;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    op.reconciler.reconcile(get(name));
    op.pods.sync(NS);
    elect(name, 0);
    op.reconciler.reconcile(get(name));
    return get(name);
  }

  private static Condition condition(ValkeyCluster c, String type) {
    return c.getStatus().conditions.stream().filter(x -> type.equals(x.getType())).findFirst().orElseThrow();
  }

  private String valkeyConf(String name) {
    return client.configMaps().inNamespace(NS).withName(name).get().getData().get("valkey.conf");
  }

  private StatefulSet sts(String name) {
    return client.apps().statefulSets().inNamespace(NS).withName(name).get();
  }

  private TlsMode templateMode(String name) {
    return TlsMode.of(sts(name).getSpec().getTemplate().getSpec());
  }

  private List<String> podsIn(String name, TlsMode mode) {
    return client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, name).list().getItems().stream()
        .filter(p -> TlsMode.of(p.getSpec()) == mode).map(p -> p.getMetadata().getName()).sorted().toList();
  }

  @Test
  void tlsOnlyIsRefusedFromAMigrationWithNothingAppliedAndTheMigrationGoesOnOnceItIsTakenBack() {
    migrating("up");
    assertThat(valkeyConf("up")).contains("port 6379\n", "tls-port 6380\n", "tls-replication no\n");
    assertThat(get("up").getStatus().tlsMode).isEqualTo("migration");
    String revision = sts("up").getStatus().getUpdateRevision();

    edit("up", t -> t.plaintext = false);
    op.reconciler.reconcile(get("up"));
    op.pods.sync(NS);
    op.reconciler.reconcile(get("up"));
    ValkeyCluster refused = get("up");
    assertThat(refused.getStatus().phase).isEqualTo("Invalid");
    assertThat(condition(refused, ValkeyClusterStatus.SPEC_INVALID).getMessage())
        .contains("spec.tls asks for TLS only (plaintext: false) on spec.port 6379", "with plaintext links");
    assertThat(valkeyConf("up")).as("nothing applied").contains("port 6379\n", "tls-replication no\n");
    assertThat(templateMode("up")).isEqualTo(TlsMode.MIGRATION);
    assertThat(sts("up").getStatus().getUpdateRevision()).isEqualTo(revision);
    assertThat(podsIn("up", TlsMode.MIGRATION)).containsExactly("up-0", "up-1", "up-2");
    assertThat(op.commands.sent).noneMatch(c -> c.startsWith("switchover"));
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "SpecInvalid".equals(e.getReason()) && e.getMessage().contains("TLS only"));

    edit("up", t -> t.plaintext = true);
    op.reconciler.reconcile(get("up"));
    ValkeyCluster back = get("up");
    assertThat(condition(back, ValkeyClusterStatus.SPEC_INVALID).getStatus()).isEqualTo("False");
    assertThat(back.getStatus().phase).isEqualTo("Ready");
    assertThat(sts("up").getStatus().getUpdateRevision()).isEqualTo(revision);
  }

  @Test
  void switchingTlsOffFromAMigrationRollsReplicasThenSwitchesOverThenReplacesTheOldMaster() {
    migrating("down");
    edit("down", t -> t.enabled = false);
    op.reconciler.reconcile(get("down"));
    op.pods.sync(NS);
    assertThat(templateMode("down")).isEqualTo(TlsMode.OFF);
    assertThat(valkeyConf("down")).contains("port 6379\n").doesNotContain("tls-");

    op.reconciler.reconcile(get("down"));
    op.pods.sync(NS);
    assertThat(podsIn("down", TlsMode.OFF)).as("the highest replica first").containsExactly("down-2");
    op.reconciler.reconcile(get("down"));
    assertThat(get("down").getStatus().tlsMode).isEqualTo("off, migration");
    op.pods.sync(NS);
    assertThat(podsIn("down", TlsMode.MIGRATION)).as("the master last").containsExactly("down-0");

    op.reconciler.reconcile(get("down"));
    op.reconciler.reconcile(get("down"));
    assertThat(op.commands.sent).filteredOn(c -> c.startsWith("switchover")).hasSize(1);
    assertThat(podsIn("down", TlsMode.MIGRATION)).as("not before the role moved").containsExactly("down-0");
    assertThat(condition(get("down"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("switching the master off down-0");

    elect("down", 1);
    op.reconciler.reconcile(get("down"));
    op.pods.sync(NS);
    op.reconciler.reconcile(get("down"));
    assertThat(podsIn("down", TlsMode.OFF)).containsExactly("down-0", "down-1", "down-2");
    ValkeyCluster done = get("down");
    assertThat(done.getStatus().tlsMode).as("no TLS anywhere").isNull();
    assertThat(condition(done, ValkeyClusterStatus.PROGRESSING).getStatus()).isEqualTo("False");

    // From plaintext, TLS only on the same ports is refused (no port serves both); a migration is open.
    edit("down", TlsModeRollTest::tlsOnly);
    op.reconciler.reconcile(get("down"));
    assertThat(condition(get("down"), ValkeyClusterStatus.SPEC_INVALID).getMessage())
        .contains("spec.tls asks for TLS only on spec.port 6379", "the pods serve plaintext on 6379");
    assertThat(templateMode("down")).isEqualTo(TlsMode.OFF);
    edit("down", t -> t.plaintext = true);
    op.reconciler.reconcile(get("down"));
    assertThat(templateMode("down")).isEqualTo(TlsMode.MIGRATION);
  }

  @Test
  void aRestartedOperatorTellsTheShapesFromThePodsAndGoesOnWithTheRoll() {
    migrating("mid");
    edit("mid", t -> t.enabled = false);
    op.reconciler.reconcile(get("mid"));
    op.pods.sync(NS);
    op.reconciler.reconcile(get("mid"));
    op.pods.sync(NS);
    assertThat(podsIn("mid", TlsMode.OFF)).containsExactly("mid-2");

    // A new operator process: no memory but the cluster's objects; the daemons still agree.
    setUp();
    elect("mid", 0);
    edit("mid", TlsModeRollTest::tlsOnly);
    op.reconciler.reconcile(get("mid"));
    assertThat(condition(get("mid"), ValkeyClusterStatus.SPEC_INVALID).getMessage())
        .contains("spec.tls asks for TLS only (plaintext: false) on spec.port 6379", "with plaintext links");
    assertThat(templateMode("mid")).isEqualTo(TlsMode.OFF);

    edit("mid", t -> t.enabled = false);
    op.reconciler.reconcile(get("mid"));
    assertThat(get("mid").getStatus().tlsMode).isEqualTo("off, migration");
    assertThat(client.pods().inNamespace(NS).withName("mid-1").get()).as("the roll goes on").isNull();
    assertThat(client.pods().inNamespace(NS).withName("mid-0").get()).isNotNull();
  }

  private String vigilConf(String name) {
    return client.configMaps().inNamespace(NS).withName(name).get().getData().get("vigil.conf");
  }

  private List<String> initNodeArgs(String name) {
    return sts(name).getSpec().getTemplate().getSpec().getInitContainers().stream()
        .filter(c -> "init-node".equals(c.getName())).findFirst().orElseThrow().getArgs();
  }

  private long switchovers() {
    return op.commands.sent.stream().filter(c -> c.startsWith("switchover")).count();
  }

  /**
   * Reconciles (the StatefulSet controller making pods between reconciles) until every pod and
   * the template run {@code shape}; a switchover hands the master to the next pod, as the daemons
   * would. Returns the master's ordinal then.
   */
  private int rollTo(String name, TlsMode shape, int master) {
    for (int step = 0; step < 40 && !(templateMode(name) == shape && podsIn(name, shape).size() == 3); step++) {
      long before = switchovers();
      op.reconciler.reconcile(get(name));
      op.pods.sync(NS);
      assertThat(condition(get(name), ValkeyClusterStatus.SPEC_INVALID).getStatus()).isEqualTo("False");
      // At every moment every pod (and the next one made) can reach every other.
      List<TlsMode> shapes = new java.util.ArrayList<>(client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, name)
          .list().getItems().stream().map(p -> TlsMode.of(p.getSpec())).toList());
      shapes.add(templateMode(name));
      assertThat(shapes).as("shapes running together").allSatisfy(a ->
          assertThat(shapes).allMatch(a::compatibleWith));
      if (switchovers() > before) {
        master = (master + 1) % 3;
        elect(name, master);
      }
    }
    assertThat(podsIn(name, shape)).as("every pod in %s", shape).hasSize(3);
    return master;
  }

  /**
   * A migration's cluster reaches TLS only on its TLS ports, where its clients moved, in three
   * rolling changes with one switchover each: links by port, addresses on the TLS ports, then the
   * plaintext ports closed; and goes back the same way. The daemons' and nodes' configuration of
   * each phase is what the real-server TlsMigrationTest runs.
   */
  @Test
  void aMigrationReachesTlsOnlyOnItsTlsPortsPhaseByPhaseAndGoesBack() {
    migrating("walk");
    ValkeyCluster c = get("walk");
    c.getSpec().tls.plaintext = false;
    c.getSpec().port = 6380;
    c.getSpec().sentinel.port = 26381;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();

    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.LINKS_BY_PORT);
    assertThat(valkeyConf("walk")).contains("port 6379\n", "tls-port 6380\n", "tls-replication no\n",
        "replica-announce-port 6379\n");
    assertThat(vigilConf("walk")).contains("port = 26379", "ports = [6380, 26381]", "walk-0.walk-headless.tlsmode.svc:26379")
        .doesNotContain("announce-port", "replication =");
    assertThat(initNodeArgs("walk")).containsSequence("--tls-ports", "6380,26381")
        .contains("$(POD_NAME).walk-headless.tlsmode.svc:6379").doesNotContain("--tls");
    int master = rollTo("walk", TlsMode.LINKS_BY_PORT, 0);
    assertThat(switchovers()).isEqualTo(1);

    op.reconciler.reconcile(get("walk"));
    // The status tells the shapes the pods run (the template changes in this same reconcile).
    assertThat(get("walk").getStatus().tlsMode).isEqualTo("links-by-port");
    assertThat(templateMode("walk")).isEqualTo(TlsMode.TLS_ADDRESSES);
    assertThat(valkeyConf("walk")).contains("port 6379\n", "tls-port 6380\n", "replica-announce-port 6380\n");
    assertThat(vigilConf("walk")).contains("ports = [6380, 26381]", "announce-port = 26381",
        "walk-0.walk-headless.tlsmode.svc:26381", "port = 6380");
    assertThat(client.configMaps().inNamespace(NS).withName("walk").get().getData().get("bootstrap-master"))
        .endsWith(":6380");
    assertThat(initNodeArgs("walk")).contains("$(POD_NAME).walk-headless.tlsmode.svc:6380");
    master = rollTo("walk", TlsMode.TLS_ADDRESSES, master);
    assertThat(switchovers()).isEqualTo(2);

    // Had a switchover promoted the last replica by its old plaintext address, the plaintext
    // ports would not close under it: the master is switched over first.
    op.masters.elect(NS + "/walk", new HostPort("10.0.1." + (10 + master), 6379));
    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.TLS_ADDRESSES);
    assertThat(switchovers()).isEqualTo(3);
    assertThat(condition(get("walk"), ValkeyClusterStatus.PROGRESSING).getMessage())
        .contains("waits for the master at an address on the ports that stay");
    master = (master + 1) % 3;
    elect("walk", master);
    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.ON);
    assertThat(valkeyConf("walk")).contains("port 0\n", "tls-port 6380\n", "tls-replication yes\n")
        .doesNotContain("replica-announce-port");
    assertThat(vigilConf("walk")).contains("port = 0", "replication = true").doesNotContain("ports =");
    master = rollTo("walk", TlsMode.ON, master);
    assertThat(switchovers()).isEqualTo(4);
    op.reconciler.reconcile(get("walk"));
    ValkeyCluster done = get("walk");
    assertThat(done.getStatus().tlsMode).isEqualTo("on");
    assertThat(condition(done, ValkeyClusterStatus.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(client.services().inNamespace(NS).withName("walk").get().getSpec().getPorts())
        .extracting(p -> p.getPort()).containsExactly(6380);
    assertThat(client.secrets().inNamespace(NS).withName("walk-connection").get().getData())
        .containsKey("tlsPort");

    // Back to plaintext links: TLS stays where it is served.
    ValkeyCluster back = get("walk");
    back.getSpec().tls.plaintext = true;
    back.getSpec().port = 6379;
    back.getSpec().sentinel.port = 26379;
    back.getSpec().tls.port = 6380;
    back.getSpec().tls.sentinelPort = 26381;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(back).update();
    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.TLS_ADDRESSES);
    master = rollTo("walk", TlsMode.TLS_ADDRESSES, master);
    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.LINKS_BY_PORT);
    master = rollTo("walk", TlsMode.LINKS_BY_PORT, master);
    op.reconciler.reconcile(get("walk"));
    assertThat(templateMode("walk")).isEqualTo(TlsMode.MIGRATION);
    rollTo("walk", TlsMode.MIGRATION, master);
    assertThat(switchovers()).isEqualTo(7);
    assertThat(valkeyConf("walk")).contains("port 6379\n", "tls-port 6380\n", "tls-replication no\n")
        .doesNotContain("replica-announce-port");
  }

  /**
   * One edit takes a running plaintext cluster to TLS only on other ports (TLS added, links by
   * port, TLS addresses, plaintext closed: four rolls, four switchovers), and one edit takes it
   * back; the certificate stays while any pod still serves TLS.
   */
  @Test
  void onePlaintextClusterGoesToTlsOnlyWithOneEditAndBackWithAnother() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("one").withNamespace(NS).build());
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    op.reconciler.reconcile(get("one"));
    op.pods.sync(NS);
    elect("one", 0);
    op.reconciler.reconcile(get("one"));
    assertThat(podsIn("one", TlsMode.OFF)).hasSize(3);

    ValkeyCluster on = get("one");
    on.getSpec().port = 6380;
    on.getSpec().sentinel.port = 26381;
    tlsOnly(on.getSpec().tls);
    on.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    on.getSpec().tls.issuerRef.name = "ca";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(on).update();
    int master = 0;
    for (TlsMode shape : List.of(TlsMode.MIGRATION, TlsMode.LINKS_BY_PORT, TlsMode.TLS_ADDRESSES, TlsMode.ON)) {
      op.reconciler.reconcile(get("one"));
      assertThat(templateMode("one")).isEqualTo(shape);
      master = rollTo("one", shape, master);
    }
    assertThat(switchovers()).isEqualTo(4);
    assertThat(valkeyConf("one")).contains("port 0\n", "tls-port 6380\n", "tls-replication yes\n");
    assertThat(client.resources(io.fabric8.certmanager.api.model.v1.Certificate.class).inNamespace(NS)
        .withName("one-tls").get()).isNotNull();

    ValkeyCluster off = get("one");
    off.getSpec().port = 6379;
    off.getSpec().sentinel.port = 26379;
    off.getSpec().tls.enabled = false;
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(off).update();
    for (TlsMode shape : List.of(TlsMode.TLS_ADDRESSES, TlsMode.LINKS_BY_PORT, TlsMode.MIGRATION)) {
      op.reconciler.reconcile(get("one"));
      assertThat(templateMode("one")).isEqualTo(shape);
      assertThat(valkeyConf("one")).contains("port 6379\n", "tls-port 6380\n");
      assertThat(client.resources(io.fabric8.certmanager.api.model.v1.Certificate.class).inNamespace(NS)
          .withName("one-tls").get()).as("kept while pods serve TLS").isNotNull();
      assertThat(get("one").getStatus().tls).as("its expiry still reported").isNotNull();
      master = rollTo("one", shape, master);
    }
    op.reconciler.reconcile(get("one"));
    assertThat(templateMode("one")).isEqualTo(TlsMode.OFF);
    rollTo("one", TlsMode.OFF, master);
    op.reconciler.reconcile(get("one"));
    assertThat(switchovers()).isEqualTo(8);
    assertThat(valkeyConf("one")).contains("port 6379\n").doesNotContain("tls-");
    assertThat(get("one").getStatus().tlsMode).isNull();
  }

  @Test
  void aTlsOnlyClusterIsNotTakenBackToPlaintextLinks() {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("only").withNamespace(NS).build());
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "ca";
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    op.reconciler.reconcile(get("only"));
    op.pods.sync(NS);
    elect("only", 0);
    op.reconciler.reconcile(get("only"));
    assertThat(get("only").getStatus().tlsMode).isEqualTo("on");

    for (Consumer<TlsSpec> back : List.<Consumer<TlsSpec>>of(t -> t.plaintext = true, t -> t.enabled = false)) {
      edit("only", back);
      op.reconciler.reconcile(get("only"));
      assertThat(condition(get("only"), ValkeyClusterStatus.SPEC_INVALID).getMessage())
          .contains("while the pods serve TLS on 6379 and 26379");
      assertThat(valkeyConf("only")).contains("port 0\n", "tls-replication yes\n");
      assertThat(templateMode("only")).isEqualTo(TlsMode.ON);
      edit("only", TlsModeRollTest::tlsOnly);
    }
    List<Pod> all = client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, "only").list().getItems();
    assertThat(all).hasSize(3).allMatch(p -> TlsMode.of(p.getSpec()) == TlsMode.ON);
  }
}
