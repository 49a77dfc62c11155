package dev.vigil.sentinel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The severity of each finding, on hand-made answers (Diagnosis is a pure function): what a
 * real group shows only for a moment (a daemon view older than the node's own word) is pinned
 * down here; DiagnosticCommandsTest checks the same findings against real servers and daemons.
 */
class DiagnosisTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final Address R2 = new Address("10.0.0.3", 6379);

  private static Map<String, String> replica(Address a, String priority) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("ip", a.host());
    r.put("port", Integer.toString(a.port()));
    r.put("flags", "slave");
    r.put("master-link-status", "ok");
    r.put("slave-priority", priority);
    return r;
  }

  private static Snapshot snapshot(int daemons, String... priorities) {
    Map<String, String> master = new LinkedHashMap<>();
    master.put("ip", MASTER.host());
    master.put("port", Integer.toString(MASTER.port()));
    master.put("flags", "master");
    master.put("config-epoch", "0");
    master.put("quorum", "2");
    master.put("num-other-sentinels", "2");
    List<Map<String, String>> replicas = List.of(replica(R1, priorities[0]), replica(R2, priorities[1]));
    List<Snapshot.DaemonView> views = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Address at = new Address("10.0.1." + i, 26379);
      views.add(i < daemons
          ? new Snapshot.DaemonView(at, false, null, master, replicas, List.of(), false)
          : new Snapshot.DaemonView(at, false, "connection refused", null, null, null, false));
    }
    return new Snapshot("mymaster", views);
  }

  private static NodeProbe node(Address a, String role, int priority, int minReplicas) {
    return new NodeProbe(a, null, role, role.equals("slave") ? MASTER : null, "up", 100,
        minReplicas, "", priority);
  }

  private static Map<Address, NodeProbe> nodes(int p1, int p2, int minReplicas) {
    Map<Address, NodeProbe> m = new LinkedHashMap<>();
    m.put(MASTER, node(MASTER, "master", -1, minReplicas));
    m.put(R1, node(R1, "slave", p1, minReplicas));
    m.put(R2, node(R2, "slave", p2, minReplicas));
    return m;
  }

  private static List<String> checks(List<Diagnosis.Finding> found, Diagnosis.Severity s) {
    return found.stream().filter(f -> f.severity() == s).map(Diagnosis.Finding::check).toList();
  }

  @Test
  void aHealthyGroupOnValkeyDefaultsHasOneWarningAndNoProblem() {
    var found = Diagnosis.of(snapshot(3, "100", "100"), nodes(100, 100, 0));
    assertThat(checks(found, Diagnosis.Severity.PROBLEM)).isEmpty();
    assertThat(checks(found, Diagnosis.Severity.WARNING)).containsExactly("min-replicas-unset");
    assertThat(Diagnosis.of(snapshot(3, "100", "100"), nodes(100, 100, 1))).isEmpty();
  }

  @Test
  void theNodesOwnPriorityDecidesAndAStaleDaemonViewIsAWarning() {
    // The daemons still see 100 (their last INFO); the nodes say 0 since a CONFIG SET just now.
    var found = Diagnosis.of(snapshot(3, "100", "100"), nodes(0, 0, 1));
    assertThat(checks(found, Diagnosis.Severity.PROBLEM)).containsExactly("no-promotable-replica");
    assertThat(checks(found, Diagnosis.Severity.WARNING)).containsExactly("stale-view", "stale-view");
    assertThat(found.stream().filter(Diagnosis.Finding::problem).findFirst().orElseThrow().message())
        .contains(R1 + " has replica-priority 0", R2 + " has replica-priority 0");

    // One node promotable again though the daemons still see 0 on both: no problem, and both
    // differences from the daemons' view are reported.
    var back = Diagnosis.of(snapshot(3, "0", "100"), nodes(100, 0, 1));
    assertThat(checks(back, Diagnosis.Severity.PROBLEM)).isEmpty();
    assertThat(checks(back, Diagnosis.Severity.WARNING)).containsExactly("stale-view", "stale-view");
  }

  @Test
  void aMissingDaemonIsAWarningUntilTheQuorumIsGone() {
    var one = Diagnosis.of(snapshot(2, "100", "100"), nodes(100, 100, 1));
    assertThat(checks(one, Diagnosis.Severity.PROBLEM)).isEmpty();
    assertThat(checks(one, Diagnosis.Severity.WARNING)).containsExactly("daemon-unreachable");
    var two = Diagnosis.of(snapshot(1, "100", "100"), nodes(100, 100, 1));
    assertThat(checks(two, Diagnosis.Severity.PROBLEM)).containsExactly("no-quorum");
  }

  @Test
  void aReplicaFollowingAnotherMasterIsAProblem() {
    Map<Address, NodeProbe> n = nodes(100, 100, 1);
    n.put(R2, new NodeProbe(R2, null, "slave", R1, "up", 100, 1, "", 100));
    var found = Diagnosis.of(snapshot(3, "100", "100"), n);
    assertThat(checks(found, Diagnosis.Severity.PROBLEM)).containsExactly("wrong-master");
  }
}
