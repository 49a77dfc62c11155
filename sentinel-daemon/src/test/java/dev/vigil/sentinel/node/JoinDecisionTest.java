package dev.vigil.sentinel.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.TlsPorts;
import dev.vigil.sentinel.node.JoinDecision.DaemonView;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinDecisionTest {
  private static final Address POD0 = new Address("v-0.v-headless", 6379);
  private static final Address POD1 = new Address("v-1.v-headless", 6379);
  private static final Address POD2 = new Address("v-2.v-headless", 6379);

  @Test
  void aBrandNewGroupStartsWithTheBootstrapMaster() {
    assertThat(JoinDecision.decide(POD0, List.of(), POD0).master()).isEmpty();
    assertThat(JoinDecision.decide(POD1, List.of(), POD0).master()).contains(POD0);
  }

  @Test
  void aReturningOldMasterFollowsTheMasterTheDaemonsElected() {
    JoinDecision d = JoinDecision.decide(POD0, List.of(new DaemonView("d1", POD1, 3)), POD0);
    assertThat(d.master()).contains(POD1);
    assertThat(d.configLines("v-0.v-headless", TlsPorts.NONE))
        .containsExactly("# written by vigil init-node: " + d.reason(), "replicaof v-1.v-headless 6379",
            "replica-announce-ip v-0.v-headless");
  }

  @Test
  void duringATlsMigrationTheReplicaSpeaksTlsExactlyToAMasterOnATlsPort() {
    TlsPorts migration = TlsPorts.of(List.of(6380, 26381));
    Address onTls = new Address("v-1.v-headless", 6380);
    JoinDecision toTls = JoinDecision.decide(POD0, List.of(new DaemonView("d1", onTls, 3)), POD0);
    assertThat(toTls.configLines(null, migration)).containsExactly(
        "# written by vigil init-node: " + toTls.reason(), "replicaof v-1.v-headless 6380",
        "tls-replication yes");
    JoinDecision toPlain = JoinDecision.decide(POD0, List.of(new DaemonView("d1", POD1, 3)), POD0);
    assertThat(toPlain.configLines(null, migration)).containsExactly(
        "# written by vigil init-node: " + toPlain.reason(), "replicaof v-1.v-headless 6379",
        "tls-replication no");
    JoinDecision master = JoinDecision.decide(POD1, List.of(new DaemonView("d1", POD1, 3)), POD0);
    assertThat(master.configLines(null, migration)).as("a master follows no one")
        .containsExactly("# written by vigil init-node: " + master.reason());
  }

  @Test
  void theNewestConfigurationWinsOverTheMostCommonAnswer() {
    List<DaemonView> answers = List.of(new DaemonView("d1", POD1, 2), new DaemonView("d2", POD1, 2),
        new DaemonView("d3", POD2, 3));
    assertThat(JoinDecision.decide(POD0, answers, POD0).master()).contains(POD2);
    assertThat(JoinDecision.decide(POD2, answers, POD0).master()).as("it is the master").isEmpty();
  }

  @Test
  void namesCompareAsDnsDoes() {
    JoinDecision d = JoinDecision.decide(new Address("V-1.v-headless.", 6379),
        List.of(new DaemonView("d1", POD1, 1)), POD0);
    assertThat(d.master()).isEmpty();
  }
}
