package dev.vigil.sentinel.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a tick sends, and when: the cadence rules of {@link PollPlan}. */
class PollPlanTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R = new Address("10.0.0.2", 6379);
  private static final Timing T = Timing.DEFAULT; // INFO every 10 s, fast every 1 s
  private static final long NOW = 100_000;
  /** Periods count to the nearest tick: a command is due half a tick before its period ends. */
  private static final long HALF_TICK = T.tickPeriod().toMillis() / 2;

  private static NodeState node(Address a, NodeRole role, boolean linkUp) {
    NodeInfo info = new NodeInfo("run", role, role == NodeRole.REPLICA ? MASTER : null, linkUp, 0,
        100, 10, true, List.of(), -1, null);
    return new NodeState(a, new Link(true, NOW, -1, NOW, NOW), info, NOW - 1, false, -1,
        NOW - 60_000, -1, false);
  }

  private static GroupState group(NodeState replica) {
    return new GroupState(MasterSpec.of("m", MASTER, 2), 1, 1, node(MASTER, NodeRole.MASTER, false),
        Map.of(R, replica), Map.of(), Agreement.IDLE);
  }

  /** Whether INFO goes to the replica at {@code NOW}, its last one {@code ago} ms before. */
  private static boolean infoDue(NodeState replica, long ago) {
    var links = List.of(new PollPlan.LinkView(R, false, true, false, NOW - ago));
    return PollPlan.next(group(replica), T, NOW, links, NOW).info().contains(R);
  }

  @Test
  void aHealthyReplicaIsAskedAtTheInfoPeriod() {
    NodeState healthy = node(R, NodeRole.REPLICA, true);
    assertThat(infoDue(healthy, 1_000)).isFalse();
    assertThat(infoDue(healthy, 10_000)).isTrue();
  }

  @Test
  void aSyncingReplicaOrOneClaimingMasterIsAskedAtTheFastPeriod() {
    assertThat(infoDue(node(R, NodeRole.REPLICA, false), 1_000)).as("syncing").isTrue();
    NodeState claims = node(R, NodeRole.MASTER, false);
    assertThat(infoDue(claims, 1_000 - HALF_TICK - 1)).isFalse();
    assertThat(infoDue(claims, 1_000 - HALF_TICK)).as("a stale master awaiting demotion")
        .isTrue();
  }

  private static final long PING = 1_000; // T's ping period at the spec's down-after

  private static GroupState pingedAgo(long masterAgo, long replicaAgo) {
    GroupState g = group(node(R, NodeRole.REPLICA, true));
    g = g.withNode(g.master().withLink(new Link(true, NOW - masterAgo, -1, NOW, NOW)));
    return g.withNode(g.replicas().get(R).withLink(new Link(true, NOW - replicaAgo, -1, NOW, NOW)));
  }

  private static List<PollPlan.LinkView> bothUp(long infoAgo) {
    return List.of(new PollPlan.LinkView(MASTER, false, true, false, NOW - infoAgo),
        new PollPlan.LinkView(R, false, true, false, NOW - infoAgo));
  }

  @Test
  void aHelloRoundAlsoPingsTheLinksWhosePingIsHalfAPeriodOld() {
    long half = PING / 2 - HALF_TICK;
    var plan = PollPlan.next(pingedAgo(half, half - 1), T, NOW, bothUp(0), NOW - 2_000);
    assertThat(plan.hello()).isTrue();
    assertThat(plan.ping()).containsExactly(MASTER);
    var noHello = PollPlan.next(pingedAgo(half, half - 1), T, NOW, bothUp(0), NOW - 1_000);
    assertThat(noHello.hello()).isFalse();
    assertThat(noHello.ping()).as("nothing pulls them without a hello").isEmpty();
  }

  @Test
  void aRoundOfPingsSendsTheHellosDueWithinHalfAPingPeriod() {
    long early = T.publishPeriod().toMillis() - PING / 2 - HALF_TICK;
    assertThat(PollPlan.next(pingedAgo(PING, 0), T, NOW, bothUp(0), NOW - early).hello())
        .isTrue();
    assertThat(PollPlan.next(pingedAgo(PING, 0), T, NOW, bothUp(0), NOW - (early - 1)).hello())
        .isFalse();
    long notDue = PING - HALF_TICK - 1;
    assertThat(PollPlan.next(pingedAgo(notDue, notDue), T, NOW, bothUp(0),
        NOW - (T.publishPeriod().toMillis() - HALF_TICK - 1)).hello())
        .as("no PING due: on its own period").isFalse();
  }

  @Test
  void aLinkBeingPingedIsAskedItsPeriodicInfoHalfAPingPeriodEarly() {
    long early = T.infoPeriod().toMillis() - PING / 2 - HALF_TICK;
    var withPing = PollPlan.next(pingedAgo(0, PING), T, NOW, bothUp(early), NOW);
    assertThat(withPing.info()).containsExactly(R);
    assertThat(PollPlan.next(pingedAgo(0, PING), T, NOW, bothUp(early - 1), NOW).info())
        .isEmpty();
  }

  /**
   * Ticks every 100 ms with a few ms of jitter, as the shell's timer runs, for ten minutes: once
   * in step, every hello round pings both links and every INFO goes with a PING, and no command
   * is late by more than a tick, nor a PING more than twice as frequent as its period.
   */
  @Test
  void pingsHellosAndInfosStayInStepOnJitteryTicks() {
    SplittableRandom jitter = new SplittableRandom(7);
    GroupState g = pingedAgo(0, 300); // out of step to begin with
    long[] lastInfo = {NOW - 3_000, NOW - 7_000};
    long lastHello = NOW - 1_300;
    long[] lastPing = {NOW, NOW - 300};
    Address[] nodes = {MASTER, R};
    List<String> outOfStep = new ArrayList<>();
    for (long tick = NOW + 100; tick < NOW + 600_000; tick += 100) {
      long now = tick + jitter.nextLong(4);
      var plan = PollPlan.next(g, T, now, List.of(
          new PollPlan.LinkView(MASTER, false, true, false, lastInfo[0]),
          new PollPlan.LinkView(R, false, true, false, lastInfo[1])), lastHello);
      boolean settled = now > NOW + 10_000;
      if (plan.hello()) {
        assertThat(now - lastHello).isLessThanOrEqualTo(T.publishPeriod().toMillis() + 110);
        if (settled && plan.ping().size() != 2) {
          outOfStep.add("hello without both pings at " + now);
        }
        lastHello = now;
      }
      for (int i = 0; i < 2; i++) {
        boolean pinged = plan.ping().contains(nodes[i]);
        if (pinged) {
          assertThat(now - lastPing[i]).isBetween(PING / 2 - HALF_TICK, PING + 110);
          lastPing[i] = now;
          NodeState n = g.master().address().equals(nodes[i]) ? g.master()
              : g.replicas().get(nodes[i]);
          g = g.withNode(n.withLink(n.link().pingSent(now).pingReply(true, now)));
        }
        if (plan.info().contains(nodes[i])) {
          assertThat(now - lastInfo[i]).isLessThanOrEqualTo(T.infoPeriod().toMillis() + 110);
          if (settled && !pinged) {
            outOfStep.add("INFO without a PING to " + nodes[i] + " at " + now);
          }
          lastInfo[i] = now;
        }
      }
    }
    assertThat(outOfStep).isEmpty();
  }
}
