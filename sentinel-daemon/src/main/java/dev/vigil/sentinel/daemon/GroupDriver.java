package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.failover.FailoverCore;
import dev.vigil.sentinel.failover.ForceOutcome;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.GroupMonitor;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PollPlan;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.Transition;
import dev.vigil.sentinel.server.VoteReply;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Turns one group's pure decisions ({@link GroupMonitor}, {@link FailoverCore}) into commands and
 * what comes back into observations: the periodic tick and its polls, the SDOWN deadline, TILT,
 * the order of commands, votes. Deterministic: it reaches links, timers, the clock and the rest
 * of the daemon only through the interfaces below, so the daemon wires it to Netty and the
 * simulation to virtual time, and both run this same code.
 *
 * <p>Every method except the {@link LinkIo.Events} ones must run on the group's loop; those hand
 * their observation over to it. One owner, no locks; readers get the latest immutable
 * {@link GroupState} through a volatile field.
 */
public final class GroupDriver implements LinkIo.Events {
  /** The group's single thread of control. */
  public interface Loop {
    /** Runs an observation on the loop; dropped silently once the loop is shutting down. */
    void execute(Runnable r);

    Cancel schedule(long delayMs, Runnable r);

    Cancel every(long periodMs, Runnable r);
  }

  /** A scheduled action that may be cancelled. */
  public interface Cancel {
    void cancel();
  }

  /** Opens connections; {@code spec} carries the group's credentials. */
  public interface Links {
    LinkIo open(Address address, boolean peer, MasterSpec spec, LinkIo.Events events);
  }

  /** What the driver needs from the daemon around it: identity, epochs, state file, events. */
  public interface Host {
    String myId();

    long currentEpoch();

    /** Raises the global epoch (persisted first), never lowers it. */
    void adoptEpoch(long epoch);

    void persist(GroupState g);

    /** Persists soon, coalesced with other such changes (Effect.PersistLater). */
    default void persistLater(GroupState g) {
      persist(g);
    }

    void publish(SentinelEvent e);

    Timing timing();

    FailoverTuning failoverSettings();

    /** The fresh-identity quarantine and vote floor (the daemon owns it; groups read it). */
    dev.vigil.sentinel.failover.QuarantineGate quarantine();

    long forgetAfterMs();

    /** A gap between two ticks of this group: a long one means a stall (TILT). */
    void noteTickGap(long gapMs, long now);

    boolean inTilt(long now);

    /** The address a hello announces over {@code via}, or null when not known yet. */
    Address helloAddress(LinkIo via);
  }

  /** A link and the driver's bookkeeping of its INFO requests. */
  private static final class Tracked {
    final Address address;
    final boolean peer;
    final LinkIo io;
    long lastInfoRequestAt = -1;
    boolean infoInFlight;
    /**
     * A fresh INFO was asked for while one was in flight: that one may have been sent before the
     * node came back (a partition, a restart) and end in a timeout, so it cannot stand in for
     * the one asked for. Sent when the one in flight completes, either way.
     */
    boolean infoWanted;

    Tracked(Address address, boolean peer, LinkIo io) {
      this.address = address;
      this.peer = peer;
      this.io = io;
    }
  }

  private final Host host;
  private final Loop loop;
  private final Links opener;
  private final Clock clock;
  private final LongSupplier random;
  private final Logger log;
  private final Map<Address, Tracked> links = new LinkedHashMap<>();
  /** The last failure of a REPLICAOF per node, logged when it changes. */
  private final Map<Address, String> replicaOfFailures = new java.util.HashMap<>();
  /** Peers' hello payloads already parsed (the group's loop only); a few per peer at most. */
  private final Map<String, Hello> parsedHellos = new java.util.HashMap<>();
  private static final int PARSED_HELLOS_KEPT = 32;
  private volatile GroupState state;
  private GroupMonitor monitor;
  private FailoverCore core;
  private Timing monitorTiming;
  private Cancel ticker;
  private Cancel sdownDeadline;
  /** The decision at {@link FailoverCore#startDueAt}, and the instant it is armed for. */
  private Cancel startDeadline;
  private long startDeadlineAt = Long.MIN_VALUE;
  private long lastHelloAt = -1;
  private Hello lastHello;
  private String lastHelloPayload;
  private long lastTickAt = -1;
  /**
   * Until when ticks have nothing to do (no PING, INFO or hello due, no decision's deadline),
   * and the timing that was computed with: a healthy group at down-after 5 s has something to do
   * at one tick in ten. Reset by every observation that could bring a deadline forward.
   */
  private long idleUntil = Long.MIN_VALUE;
  private Timing idleTiming;
  /** Counts {@link #wake()}s, so a tick knows whether one came while it ran. */
  private long wakes;
  private boolean warnedNoQuorum;
  private boolean stopped;

  public GroupDriver(Host host, Loop loop, Links links, Clock clock, LongSupplier random,
      Logger log, GroupState initial) {
    this.host = host;
    this.loop = loop;
    this.opener = links;
    this.clock = clock;
    this.random = random;
    this.log = log;
    this.state = initial;
  }

  /** The latest state; safe from any thread. */
  public GroupState state() {
    return state;
  }

  /** Opens the links the state names and starts the tick. */
  public void start() {
    connect(state.masterAddress(), false);
    state.replicas().keySet().forEach(a -> connect(a, false));
    state.peers().values().forEach(p -> connect(p.address(), true));
    ticker = loop.every(host.timing().tickPeriod().toMillis(), this::tick);
  }

  /** Stops acting and closes every link; completes once they are closed. */
  public CompletableFuture<Void> stop() {
    stopped = true;
    if (ticker != null) {
      ticker.cancel();
    }
    if (sdownDeadline != null) {
      sdownDeadline.cancel();
    }
    if (startDeadline != null) {
      startDeadline.cancel();
    }
    CompletableFuture<?>[] closing = links.values().stream()
        .map(l -> l.io.close().toCompletableFuture()).toArray(CompletableFuture[]::new);
    links.clear();
    return CompletableFuture.allOf(closing);
  }

  /** SENTINEL RESET: forget replicas and peers; they are rediscovered within seconds. */
  public void reset() {
    wake();
    for (Tracked l : List.copyOf(links.values())) {
      if (!l.address.equals(state.masterAddress())) {
        links.remove(l.address).io.close();
      }
    }
    GroupState before = state;
    state = GroupState.initial(before.spec(), new GroupRecord(before.name(),
        before.masterAddress(), before.configEpoch(), before.leaderEpoch(), List.of(), List.of()),
        now());
    Tracked master = links.get(state.masterAddress());
    if (master != null && master.io.isUp()) {
      state = monitor().connected(state, state.masterAddress(), now()).state();
    }
    host.persist(state);
    host.publish(SentinelEvent.master("+reset-master", state.name(), state.masterAddress(), null));
  }

  /** Replaces the group's parameters (SENTINEL SET); node links reconnect if credentials changed. */
  public void updateSpec(MasterSpec spec) {
    if (spec.equals(state.spec())) {
      return;
    }
    wake();
    boolean authChanged = !Objects.equals(spec.authPass(), state.spec().authPass())
        || !Objects.equals(spec.authUser(), state.spec().authUser());
    state = state.withSpec(spec);
    if (authChanged) {
      for (Tracked l : List.copyOf(links.values())) {
        if (!l.peer) {
          links.remove(l.address).io.close();
          connect(l.address, false);
        }
      }
    }
  }

  private GroupMonitor monitor() {
    Timing t = host.timing();
    if (monitor == null || t != monitorTiming) {
      monitor = new GroupMonitor(host.myId(), t, host.forgetAfterMs());
      core = new FailoverCore(host.myId(), t, host.failoverSettings(), host.quarantine());
      monitorTiming = t;
    }
    return monitor;
  }

  private FailoverCore core() {
    monitor();
    return core;
  }

  /**
   * A peer asks for our vote (IS-MASTER-DOWN-BY-ADDR with its run id): decided and persisted
   * before the reply is returned, so the reply never promises an unwritten vote.
   */
  public VoteReply vote(long epoch, String runId) {
    wake();
    var outcome = core().vote(state, host.currentEpoch(), epoch, runId, now(), random.getAsLong());
    if (outcome.currentEpoch() > host.currentEpoch()) {
      host.adoptEpoch(outcome.currentEpoch());
    }
    state = outcome.state();
    if (outcome.persist()) {
      host.persist(state);
    }
    apply(new Transition(state, outcome.effects()));
    return new VoteReply(outcome.leader(), outcome.leaderEpoch());
  }

  /** SENTINEL FAILOVER. */
  public ForceOutcome forceFailover(boolean coordinated) {
    if (core().abstaining(now())) {
      return ForceOutcome.QUARANTINED;
    }
    wake();
    var t = core().force(state, now(), host.currentEpoch(), coordinated);
    t.ifPresent(this::apply);
    return t.isPresent() ? ForceOutcome.STARTED : ForceOutcome.IN_PROGRESS;
  }

  private long now() {
    return clock.millis();
  }

  private long nonNegativeRandom() {
    return random.getAsLong() & Long.MAX_VALUE;
  }

  // ---- observations from links (any thread) ----

  @Override
  public void linkUp(Address address) {
    observe(() -> {
      apply(monitor().connected(state, address, now()));
      Tracked l = links.get(address);
      if (l != null) {
        l.lastInfoRequestAt = -1;
        l.infoInFlight = false;
        l.infoWanted = false;
        sendPing(l);
        if (!l.peer) {
          // A node back on a new connection (a restart quicker than down-after) may be a
          // replaced master still claiming master: its INFO now, not at the next tick.
          sendInfo(l, now());
        }
      }
    });
  }

  @Override
  public void linkDown(Address address) {
    observe(() -> apply(monitor().disconnected(state, address, now())));
  }

  @Override
  public void helloReceived(String payload) {
    if (fromMe(payload)) {
      // Our own hello, back through a node's channel (every one we publish): decides nothing,
      // and at 500 groups that is 750 a second not worth parsing or handing over.
      return;
    }
    observeQuietly(() -> {
      Hello h = parsedHello(payload);
      if (h != null) {
        observeHello(h);
      }
    });
  }

  /**
   * A peer publishes the same payload through every node of the group until its view changes:
   * each payload is parsed once (three daemons at 500 groups receive 1,500 peer hellos a
   * second). On the group's loop, which owns the map. Null for a malformed payload.
   */
  private Hello parsedHello(String payload) {
    Hello h = parsedHellos.get(payload);
    if (h == null) {
      Optional<Hello> parsed = Hello.parse(payload);
      if (parsed.isEmpty()) {
        return null;
      }
      h = parsed.get();
      if (parsedHellos.size() >= PARSED_HELLOS_KEPT) {
        parsedHellos.clear();
      }
      parsedHellos.put(payload, h);
    }
    return h;
  }

  /** Whether the payload's run id (its third field) is ours. */
  private boolean fromMe(String payload) {
    int a = payload.indexOf(',');
    int b = a < 0 ? -1 : payload.indexOf(',', a + 1);
    int c = b < 0 ? -1 : payload.indexOf(',', b + 1);
    String me = host.myId();
    return c > 0 && c - b - 1 == me.length() && payload.startsWith(me, b + 1);
  }

  /** A hello for this group, from a node's channel or a peer's PUBLISH to our port. */
  public void hello(Hello h) {
    observeQuietly(() -> observeHello(h));
  }

  private void observeHello(Hello h) {
    Transition t = monitor().hello(state, h, host.currentEpoch(), now());
    if (!t.effects().isEmpty()) {
      // Without effects a hello only refreshed when a known peer was last heard from, which
      // no deadline depends on: most hellos (our own among them) need no tick.
      wake();
    }
    apply(t);
  }

  /**
   * Observations reaching a stopped driver (late replies, closing links) decide nothing. Each
   * may bring a deadline forward (a link lost, a role changed), so the next tick is a full one.
   */
  private void observe(Runnable r) {
    observeQuietly(() -> {
      wake();
      r.run();
    });
  }

  /** An observation that can only put deadlines off: it leaves the ticks' schedule alone. */
  private void observeQuietly(Runnable r) {
    loop.execute(() -> {
      if (!stopped) {
        r.run();
      }
    });
  }

  /** The next tick decides and polls in full, then finds the next deadline again. */
  private void wake() {
    idleUntil = Long.MIN_VALUE;
    wakes++;
  }

  // ---- the periodic work ----

  /**
   * Decides again the moment the master's down-after runs out since its last valid reply, not at
   * the next tick: the tick period would otherwise add up to 100 ms to every failover.
   */
  private void armSdownDeadline() {
    if (sdownDeadline != null) {
      sdownDeadline.cancel();
    }
    sdownDeadline = loop.schedule(state.spec().downAfter().toMillis() + 1,
        this::decideBetweenTicks);
  }

  /**
   * A deadline's decision between ticks. None while the ticks are late: a loop that stalled runs
   * its overdue timers before its tick, and the tick is what notices the stall (TILT); the tick
   * right behind decides then, on the other side of that check.
   */
  private void decideBetweenTicks() {
    wake();
    long now = now();
    if (lastTickAt >= 0 && now - lastTickAt > 2 * host.timing().tickPeriod().toMillis()) {
      return;
    }
    try {
      decide(now);
    } catch (RuntimeException e) {
      log.error("decision of {} failed", state.name(), e);
    }
  }

  /** The decisions of a tick, unless in TILT; true when they were made. */
  private boolean decide(long now) {
    if (host.inTilt(now)) {
      return false;
    }
    apply(monitor().tick(state, now));
    apply(core().tick(state, now, host.currentEpoch(), nonNegativeRandom()));
    armStartDeadline(now);
    return true;
  }

  private void armStartDeadline(long now) {
    long due = core().startDueAt(state, now);
    if (due == startDeadlineAt) {
      return;
    }
    if (startDeadline != null) {
      startDeadline.cancel();
      startDeadline = null;
    }
    startDeadlineAt = due;
    if (due != Long.MIN_VALUE) {
      startDeadline = loop.schedule(due - now, () -> {
        startDeadline = null;
        startDeadlineAt = Long.MIN_VALUE;
        decideBetweenTicks();
      });
    }
  }

  /** One tick: TILT bookkeeping, the decisions (not in TILT), then what {@link PollPlan} says. */
  public void tick() {
    try {
      long now = now();
      if (lastTickAt >= 0) {
        host.noteTickGap(now - lastTickAt, now);
      }
      lastTickAt = now;
      Timing timing = host.timing();
      // In TILT every tick runs, as it always did: it is what notices the TILT's end.
      if (now < idleUntil && timing == idleTiming && !host.inTilt(now)) {
        // The draw the skipped decision would have taken: the same seed decides the same way
        // whether or not its idle ticks run (the simulation's runs are unchanged by skipping).
        random.getAsLong();
        return;
      }
      idleUntil = Long.MIN_VALUE;
      long wakesBefore = wakes;
      if (decide(now)) {
        warnIfBlocked(now);
      }
      List<PollPlan.LinkView> views = new ArrayList<>();
      for (Tracked l : links.values()) {
        views.add(new PollPlan.LinkView(l.address, l.peer, l.io.isUp(), l.infoInFlight,
            l.lastInfoRequestAt));
      }
      var plan = PollPlan.next(state, timing, now, views, lastHelloAt);
      for (Address a : plan.ping()) {
        Tracked l = links.get(a);
        if (l != null) {
          sendPing(l);
        }
      }
      for (Address a : plan.info()) {
        Tracked l = links.get(a);
        if (l != null) {
          sendInfo(l, now);
        }
      }
      if (plan.hello()) {
        lastHelloAt = now;
        sendHellos();
      }
      // On the state as the polls left it: a PING just sent starts its node's SDOWN count.
      long decisionsAt = FailoverCore.idle(state) ? monitor().nextChangeAt(state) : Long.MIN_VALUE;
      if (wakes == wakesBefore) { // else an observation came in while it ran: tick again
        idleUntil = Math.min(plan.nextAt(), decisionsAt);
        idleTiming = timing;
      }
    } catch (RuntimeException e) {
      log.error("tick of {} failed", state.name(), e);
    }
  }

  /**
   * Says once per outage why a master we see down is not being failed over: too few daemons
   * agree (ODOWN needs the quorum), so an operator reading the log knows what is missing.
   */
  private void warnIfBlocked(long now) {
    NodeState m = state.master();
    if (!m.sdown()) {
      warnedNoQuorum = false;
      return;
    }
    long askPeriod = host.timing().askPeriod().toMillis();
    if (!warnedNoQuorum && !state.agreement().odown() && now - m.sdownSince() > 3 * askPeriod) {
      warnedNoQuorum = true;
      long agreeing = 1 + state.peers().values().stream().filter(p -> p.report() != null
          && p.report().countsFor(m.address(), state.configEpoch(), now, 5 * askPeriod)).count();
      long reachable = 1 + state.peers().values().stream().filter(p -> !p.sdown()).count();
      log.warn("master {} of {} is down here but no failover: {} of the {} known daemons agree"
          + " ({} reachable), quorum is {}", m.address(), state.name(), agreeing,
          state.peers().size() + 1, reachable, state.spec().quorum());
    }
  }

  private void sendPing(Tracked l) {
    apply(monitor().pingSent(state, l.address, now()));
    l.io.ping().whenComplete((acceptable, error) -> {
      if (error == null) {
        // A reply only puts its node's SDOWN deadline off; what it may start (INFO, a decision
        // during a failover) takes care of the schedule itself.
        observeQuietly(() -> {
          apply(monitor().pingReply(state, l.address, acceptable, now()));
          if (acceptable && l.address.equals(state.masterAddress())) {
            armSdownDeadline();
            if (state.agreement().failover() != null) {
              // The master answers during our failover: decide now (abort before the promotion,
              // fence after it), not at the next tick, while its clients come back too.
              decideBetweenTicks();
            }
          }
        });
      }
    });
  }

  private void sendInfo(Tracked l, long now) {
    l.infoInFlight = true;
    l.infoWanted = false;
    l.lastInfoRequestAt = now;
    l.io.info().whenComplete((info, error) -> observe(() -> {
      l.infoInFlight = false;
      if (error == null) {
        onInfo(l, info);
      }
      if (l.infoWanted && l.io.isUp() && !l.infoInFlight) {
        sendInfo(l, now());
      }
    }));
  }

  /** INFO now, or as soon as the one in flight completes. */
  private void refreshInfo(Tracked l) {
    if (l.infoInFlight) {
      l.infoWanted = true;
    } else {
      sendInfo(l, now());
    }
  }

  private void onInfo(Tracked l, NodeInfo info) {
    apply(monitor().info(state, l.address, info, now()));
    if (!host.inTilt(now())) {
      apply(core().info(state, l.address, info, now()));
    }
  }

  private void sendHellos() {
    var f = state.agreement().failover();
    for (Tracked l : links.values()) {
      if (!l.io.isUp()) {
        continue;
      }
      if (f != null && f.fenced() && l.address.equals(f.oldMaster())) {
        // PUBLISH waits out a write pause, and every command after it on this link with it:
        // the demotion that lifts the pause would wait for the pause to expire.
        continue;
      }
      Address me = host.helloAddress(l.io);
      if (me == null) {
        continue;
      }
      Hello h = new Hello(me, host.myId(), host.currentEpoch(), state.name(),
          state.masterAddress(), state.configEpoch());
      if (!h.equals(lastHello)) { // the same to every link and mostly between rounds
        lastHello = h;
        lastHelloPayload = h.payload();
      }
      l.io.publishHello(lastHelloPayload);
    }
  }

  // ---- effects ----

  private void apply(Transition t) {
    state = t.state();
    boolean persisted = false;
    boolean persistLater = false;
    for (Effect e : t.effects()) {
      if (e instanceof Effect.Emit emit) {
        host.publish(emit.event());
      } else if (e instanceof Effect.Connect c) {
        connect(c.address(), c.peer());
      } else if (e instanceof Effect.Disconnect d) {
        Tracked l = links.remove(d.address());
        if (l != null) {
          l.io.close();
        }
      } else if (e instanceof Effect.Persist) {
        // At once, before the effects that follow it; once, since the state is the final one.
        if (!persisted) {
          host.persist(state);
          persisted = true;
        }
      } else if (e instanceof Effect.PersistLater) {
        persistLater = true;
      } else if (e instanceof Effect.AdoptEpoch a) {
        host.adoptEpoch(a.epoch());
      } else if (e instanceof Effect.AskPeers ask) {
        askPeers(ask.requestVote(), ask.epoch());
      } else if (e instanceof Effect.Promote p) {
        reconfigure(p.replica(), null, false);
      } else if (e instanceof Effect.ReplicaOf r) {
        reconfigure(r.node(), r.master(), r.unpause());
      } else if (e instanceof Effect.Fence f) {
        LinkIo l = upLink(f.node());
        if (l != null) {
          l.pauseWrites(f.pauseMs()).whenComplete((r, error) -> {
            if (error != null) {
              log.warn("CLIENT PAUSE WRITE on {} failed: {}", f.node(), error.getMessage());
            }
          });
        }
      } else if (e instanceof Effect.Unfence u) {
        LinkIo l = upLink(u.node());
        if (l != null) {
          l.unpause();
        }
      } else if (e instanceof Effect.HandOver h) {
        LinkIo l = upLink(h.master());
        if (l == null) {
          log.warn("cannot hand over: no link to master {}", h.master());
        } else {
          l.failoverTo(h.target(), h.timeoutMs()).whenComplete((r, error) -> {
            if (error != null) {
              log.warn("FAILOVER TO {} on {} failed: {}", h.target(), h.master(), error.getMessage());
            }
          });
        }
      } else if (e instanceof Effect.DisconnectClients d) {
        LinkIo l = upLink(d.node());
        if (l != null) {
          l.disconnectClients();
        }
      } else if (e instanceof Effect.PublishHelloNow) {
        lastHelloAt = now();
        sendHellos();
      } else if (e instanceof Effect.RefreshInfo r) {
        Tracked l = links.get(r.node());
        if (l != null && l.io.isUp()) {
          refreshInfo(l);
        }
      }
    }
    if (persistLater && !persisted) {
      host.persistLater(state);
    }
  }

  private LinkIo upLink(Address a) {
    Tracked l = links.get(a);
    return l != null && l.io.isUp() ? l.io : null;
  }

  private void askPeers(boolean requestVote, long epoch) {
    Address master = state.masterAddress();
    long configEpoch = state.configEpoch();
    String runId = requestVote ? host.myId() : "*";
    for (Tracked l : links.values()) {
      if (!l.peer || !l.io.isUp()) {
        continue;
      }
      l.io.isMasterDown(master, epoch, runId).whenComplete((reply, error) -> {
        if (error != null) {
          log.debug("no is-master-down reply from {}: {}", l.address, error.getMessage());
          return;
        }
        // Attributed to the run id we know at that address: a peer that lost its state
        // answers under its old name until its hello arrives.
        observe(() -> state.peerAt(l.address).ifPresent(p -> {
          state = core().peerAnswer(state, p.runId(), reply.down(), reply.leader(),
              reply.leaderEpoch(), master, configEpoch, now());
          // A vote or a down report just arrived: count it now rather than at the next tick
          // (not in TILT, where no tick decides either).
          long at = now();
          if ((state.agreement().failover() != null || state.master().sdown())
              && !host.inTilt(at)) {
            apply(core().tick(state, at, host.currentEpoch(), nonNegativeRandom()));
            armStartDeadline(at);
          }
        }));
      });
    }
  }

  /** REPLICAOF NO ONE (master null) or REPLICAOF master on a node, then a quick INFO to confirm. */
  private void reconfigure(Address node, Address master, boolean unpause) {
    Tracked l = links.get(node);
    if (l == null || !l.io.isUp()) {
      log.warn("cannot reconfigure {}: no link", node);
      return;
    }
    Object target = master == null ? "NO ONE" : master;
    l.io.replicaOf(master, unpause).whenComplete((info, error) -> observe(() -> {
      if (error != null) {
        // A demotion is retried at every INFO: the same failure is logged once, not each time.
        String reason = dev.vigil.resp3.tls.TlsFailure.reason(error);
        if (!reason.equals(replicaOfFailures.put(node, reason))) {
          log.warn("REPLICAOF {} on {} failed: {}", target, node, reason);
        }
        refreshInfo(l);
        return;
      }
      if (replicaOfFailures.remove(node) != null) {
        log.info("REPLICAOF {} on {} succeeded after failing", target, node);
      }
      // Taken in the same transaction: the node's role and offset at the switch, which a
      // failover waits for before REPLICAOF NO ONE.
      onInfo(l, info);
    }));
  }

  private void connect(Address a, boolean peer) {
    if (links.containsKey(a)) {
      return;
    }
    Tracked l = new Tracked(a, peer, opener.open(a, peer, state.spec(), this));
    links.put(a, l);
  }
}
