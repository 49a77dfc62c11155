package dev.vigil.sentinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SENTINEL RESET and REMOVE are refused with -INPROG while this daemon promotes a replica of a
 * group they name: dropping that failover half done left two replicas replicating each other,
 * unknown to every daemon (the simulation, seed 7590 with operators). Waiting for votes is no
 * such moment: nothing has been sent to a node yet.
 */
class PromotionGuardTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address REPLICA = new Address("10.0.0.2", 6379);

  private static GroupState group(String name, Failover.Phase phase) {
    GroupState g = GroupState.initial(MasterSpec.of(name, MASTER, 2), GroupRecord.fresh(name, MASTER), 0);
    return phase == null ? g : g.withAgreement(g.agreement().withFailover(new Failover(1, phase,
        0, 0, false, false, MASTER, phase == Failover.Phase.WAIT_START ? null : REPLICA, Map.of())));
  }

  private static String run(GroupsView daemon, String... args) {
    RespValue reply = new SentinelCommands(daemon).execute(List.of(args)).join();
    return reply.toString();
  }

  @Test
  void removeAndResetWaitForThePromotionToEnd() {
    GroupsView daemon = new GroupsView(List.of(group("promoting", Failover.Phase.WAIT_PROMOTION),
        group("idle", null)), TiltState.NEVER, 0);
    assertThat(run(daemon, "SENTINEL", "REMOVE", "promoting")).contains("INPROG");
    assertThat(run(daemon, "SENTINEL", "RESET", "*")).contains("INPROG");
    assertThat(run(daemon, "SENTINEL", "RESET", "prom*")).contains("INPROG");
    assertThat(daemon.removed).isEmpty();
    assertThat(daemon.resets).isEmpty();

    assertThat(run(daemon, "SENTINEL", "RESET", "idle")).doesNotContain("INPROG");
    assertThat(run(daemon, "SENTINEL", "REMOVE", "idle")).contains("OK");
    assertThat(daemon.resets).containsExactly("idle");
    assertThat(daemon.removed).containsExactly("idle");
  }

  @Test
  void aCandidateWaitingForVotesCanStillBeReset() {
    GroupsView daemon = new GroupsView(List.of(group("electing", Failover.Phase.WAIT_START)),
        TiltState.NEVER, 0);
    assertThat(run(daemon, "SENTINEL", "RESET", "electing")).doesNotContain("INPROG");
    assertThat(run(daemon, "SENTINEL", "REMOVE", "electing")).contains("OK");
    assertThat(daemon.removed).containsExactly("electing");
  }
}
