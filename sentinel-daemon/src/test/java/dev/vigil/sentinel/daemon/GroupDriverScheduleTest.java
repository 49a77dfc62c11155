package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.failover.QuarantineGate;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.state.GroupRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A healthy group's ticks between its deadlines do nothing and are skipped; observations that
 * bring a deadline forward are honoured at the next tick; TILT still sees every tick's gap.
 * Virtual time, fake links, the driver's loop run by hand.
 */
class GroupDriverScheduleTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address REPLICA = new Address("10.0.0.2", 6379);
  /** Defaults, but a stall is a gap over 300 ms, so that one fits between two deadlines. */
  private static final Timing TIMING = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(100),
      Duration.ofMillis(300), Duration.ofSeconds(30));

  private long now;
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  private final Map<Address, FakeLink> links = new HashMap<>();
  private final List<String> events = new ArrayList<>();
  private final Tilt tilt = new Tilt(() -> TIMING, e -> events.add(e.type()));
  private GroupDriver driver;

  private final class FakeLink implements LinkIo {
    boolean up;
    int isUpCalls;
    final List<CompletableFuture<Boolean>> pings = new ArrayList<>();
    final List<CompletableFuture<NodeInfo>> infos = new ArrayList<>();
    int hellos;

    @Override
    public boolean isUp() {
      isUpCalls++;
      return up;
    }

    @Override
    public CompletionStage<Boolean> ping() {
      var f = new CompletableFuture<Boolean>();
      pings.add(f);
      return f;
    }

    @Override
    public CompletionStage<NodeInfo> info() {
      var f = new CompletableFuture<NodeInfo>();
      infos.add(f);
      return f;
    }

    @Override
    public CompletionStage<NodeInfo> replicaOf(Address master, boolean unpause) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<?> pauseWrites(long ms) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> unpause() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> failoverTo(Address target, long timeoutMs) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> disconnectClients() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<PeerAnswer> isMasterDown(Address master, long epoch, String runId) {
      return new CompletableFuture<>();
    }

    @Override
    public void publishHello(String payload) {
      hellos++;
    }

    @Override
    public String localHost() {
      return "10.0.0.9";
    }

    @Override
    public CompletionStage<Void> close() {
      return CompletableFuture.completedFuture(null);
    }
  }

  private final class Host implements GroupDriver.Host {
    @Override
    public String myId() {
      return "a".repeat(40);
    }

    @Override
    public long currentEpoch() {
      return 0;
    }

    @Override
    public void adoptEpoch(long epoch) {}

    @Override
    public void persist(GroupState g) {}

    @Override
    public void publish(SentinelEvent e) {
      events.add(e.type());
    }

    @Override
    public Timing timing() {
      return TIMING;
    }

    @Override
    public FailoverTuning failoverSettings() {
      return FailoverTuning.DEFAULT;
    }

    @Override
    public QuarantineGate quarantine() {
      return QuarantineGate.open();
    }

    @Override
    public long forgetAfterMs() {
      return 600_000;
    }

    @Override
    public void noteTickGap(long gapMs, long at) {
      tilt.noteTickGap(gapMs, at);
    }

    @Override
    public boolean inTilt(long at) {
      return tilt.inTilt(at);
    }

    @Override
    public Address helloAddress(LinkIo via) {
      return new Address("10.0.0.9", 26379);
    }
  }

  private final class Loop implements GroupDriver.Loop {
    @Override
    public void execute(Runnable r) {
      queued.add(r);
    }

    @Override
    public GroupDriver.Cancel schedule(long delayMs, Runnable r) {
      return () -> {}; // the SDOWN timer: these tests watch what the ticks alone decide
    }

    @Override
    public GroupDriver.Cancel every(long periodMs, Runnable r) {
      return () -> {};
    }
  }

  /** A group of a master (up, answering) at down-after 5 s, its first tick at 0 done. */
  private void startHealthyGroup() {
    MasterSpec spec = MasterSpec.of("g", MASTER, 1).withDownAfter(Duration.ofSeconds(5));
    driver = new GroupDriver(new Host(), new Loop(), (a, peer, s, ev) -> {
      FakeLink l = new FakeLink();
      links.put(a, l);
      return l;
    }, () -> now, () -> 4, LoggerFactory.getLogger(GroupDriverScheduleTest.class),
        GroupState.initial(spec, GroupRecord.fresh("g", MASTER), 0));
    driver.start();
    master().up = true;
    driver.linkUp(MASTER);
    drain();
    tickAt(0);
    answerPings(master());
  }

  private FakeLink master() {
    return links.get(MASTER);
  }

  private void drain() {
    while (!queued.isEmpty()) {
      queued.poll().run();
    }
  }

  private void tickAt(long t) {
    now = t;
    driver.tick();
    drain();
  }

  private void answerPings(FakeLink l) {
    l.pings.forEach(f -> f.complete(true));
    drain();
  }

  /** Whether the tick at {@code t} did its work: it asks every link whether it is up. */
  private boolean tickWorksAt(long t) {
    int before = master().isUpCalls;
    tickAt(t);
    return master().isUpCalls > before;
  }

  /**
   * Payloads are kept parsed: a repeated one must still count as heard, a changed one must be read
   * afresh, a malformed one must change nothing.
   */
  @Test
  void aPeersRepeatedHelloStillRefreshesItAndAChangedOneIsTakenUp() {
    startHealthyGroup();
    String peer = "b".repeat(40);
    Address peerAt = new Address("10.0.0.8", 26379);
    String hello = new Hello(peerAt, peer, 0, "g", MASTER, 0).payload();
    now = 500;
    driver.helloReceived(hello);
    drain();
    assertThat(driver.state().peers().get(peer).lastHelloAt()).isEqualTo(500);
    now = 700;
    driver.helloReceived(new String(hello)); // the same text, as a new reply decodes it
    drain();
    assertThat(driver.state().peers().get(peer).lastHelloAt()).isEqualTo(700);
    now = 900;
    driver.helloReceived(new Hello(peerAt, peer, 3, "g", REPLICA, 3).payload());
    drain();
    assertThat(driver.state().masterAddress()).isEqualTo(REPLICA);
    assertThat(driver.state().configEpoch()).isEqualTo(3);
    driver.helloReceived("not,a,hello");
    drain();
    assertThat(driver.state().peers()).containsOnlyKeys(peer);
  }

  @Test
  void aHealthyGroupIsNotTickedUntilItsNextPingIsDue() {
    startHealthyGroup();
    int pings = master().pings.size();
    for (long t = 100; t < 1_000; t += 100) {
      assertThat(tickWorksAt(t)).as("tick at %d", t).isFalse();
    }
    assertThat(tickWorksAt(1_000)).isTrue();
    assertThat(master().pings).hasSize(pings + 1);
    assertThat(master().hellos).as("hello at 0, next at 2 s").isEqualTo(1);
    assertThat(tickWorksAt(1_100)).isFalse();
  }

  @Test
  void aLinkComingUpIsAskedInfoAtOnce() {
    startHealthyGroup();
    master().infos.forEach(f -> f.complete(NodeInfo.parse("# Replication\r\nrole:master\r\n")));
    drain();
    int infos = master().infos.size();
    now = 250;
    driver.linkUp(MASTER); // a reconnect: INFO at once, not at the next tick or the 10 s period
    drain();
    assertThat(master().infos).hasSize(infos + 1);
    master().infos.get(infos).complete(NodeInfo.parse("# Replication\r\nrole:master\r\n"));
    drain();
    tickAt(300);
    assertThat(master().infos).as("answered: no second one at the next tick").hasSize(infos + 1);
  }

  /**
   * The INFO a returning node is asked for is not lost to one still in flight from before it
   * went silent: that one ends in a timeout, and the fresh one is sent then. (Dropped, the next
   * INFO came an INFO period later, and a stale master that had come back stayed writable past
   * the simulation's demotion bound: seed 2508 with operators.)
   */
  @Test
  void anInfoAskedForWhileOneIsInFlightIsSentWhenThatOneEnds() {
    startHealthyGroup();
    assertThat(master().infos).as("the first INFO, never answered").hasSize(1);
    for (long t = 100; t <= 5_100; t += 100) {
      tickAt(t);
    }
    assertThat(events).contains("+sdown");
    answerPings(master()); // back: a fresh INFO is wanted at once
    assertThat(master().infos).as("one is still in flight").hasSize(1);
    master().infos.get(0).completeExceptionally(new java.util.concurrent.TimeoutException());
    drain();
    assertThat(master().infos).as("sent as the one in flight ended").hasSize(2);
    master().infos.get(1).complete(NodeInfo.parse("# Replication\r\nrole:master\r\n"));
    drain();
    assertThat(master().infos).as("and only once").hasSize(2);
  }

  @Test
  void aSilentMasterIsSdownAtTheFirstTickPastDownAfterThoughNoPollIsDue() {
    startHealthyGroup(); // answered at 0
    for (long t = 100; t <= 5_000; t += 100) {
      tickAt(t); // PINGs at 1 s, 2 s, ... unanswered
    }
    assertThat(events).doesNotContain("+sdown");
    assertThat(tickWorksAt(5_100)).as("down-after ran out at 5,001, between two PINGs").isTrue();
    assertThat(events).contains("+sdown");
    assertThat(tickWorksAt(5_200)).as("a group with its master down ticks every period").isTrue();
  }

  @Test
  void aStallSeenByASkippedTickStillEntersTilt() {
    startHealthyGroup();
    assertThat(tickWorksAt(100)).isFalse();
    tickAt(500); // nothing was due at 500 either: the gap is what counts
    assertThat(events).containsOnlyOnce("+tilt");
    assertThat(tickWorksAt(600)).as("in TILT every tick runs, as it always did").isTrue();
    assertThat(tickWorksAt(700)).isTrue();
  }
}
