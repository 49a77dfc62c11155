package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.ReconnectPolicy;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.GroupMonitor;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import dev.vigil.sentinel.monitor.Transition;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around one group's {@link GroupMonitor}: owns the group's links, feeds
 * what they observe into the pure core and carries out the effects. Every mutation happens on
 * the group's event loop (one owner, no locks); readers get the latest immutable
 * {@link GroupState} through a volatile field.
 */
final class GroupRunner implements NodeLink.Listener {
  private static final Logger log = LoggerFactory.getLogger(GroupRunner.class);

  private final SentinelDaemon daemon;
  private final EventLoop loop;
  private final Map<Address, NodeLink> links = new HashMap<>();
  private volatile GroupState state;
  private GroupMonitor monitor;
  private dev.vigil.sentinel.failover.FailoverCore core;
  private Timing monitorTiming;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom();
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> sdownDeadline;
  private long lastHelloAt = -1;
  private long lastTickAt = -1;
  private boolean warnedNoQuorum;

  GroupRunner(SentinelDaemon daemon, EventLoop loop, GroupState initial) {
    this.daemon = daemon;
    this.loop = loop;
    this.state = initial;
  }

  GroupState state() {
    return state;
  }

  String name() {
    return state.name();
  }

  void start() {
    loop.execute(() -> {
      connect(state.masterAddress(), false);
      state.replicas().keySet().forEach(a -> connect(a, false));
      state.peers().values().forEach(p -> connect(p.address(), true));
      long period = daemon.timing().tickPeriod().toMillis();
      ticker = loop.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
    });
  }

  /** Stops acting and closes every link; completes once their channels are closed. */
  java.util.concurrent.CompletableFuture<Void> stop() {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    loop.execute(() -> {
      if (ticker != null) {
        ticker.cancel(false);
      }
      if (sdownDeadline != null) {
        sdownDeadline.cancel(false);
      }
      java.util.concurrent.CompletableFuture<?>[] closing = links.values().stream()
          .map(NodeLink::close).toArray(java.util.concurrent.CompletableFuture[]::new);
      links.clear();
      java.util.concurrent.CompletableFuture.allOf(closing).whenComplete((v, e) -> done.complete(null));
    });
    return done;
  }

  /** SENTINEL RESET: forget replicas and peers; they are rediscovered within seconds. */
  java.util.concurrent.CompletableFuture<Void> reset() {
    return onLoop(() -> {
      for (NodeLink l : List.copyOf(links.values())) {
        if (!l.address.equals(state.masterAddress())) {
          links.remove(l.address).close();
        }
      }
      GroupState before = state;
      state = GroupState.initial(before.spec(), new dev.vigil.sentinel.state.GroupRecord(
          before.name(), before.masterAddress(), before.configEpoch(), before.leaderEpoch(),
          List.of(), List.of()), now());
      NodeLink master = links.get(state.masterAddress());
      if (master != null && master.isUp()) {
        state = monitor().connected(state, state.masterAddress(), now()).state();
      }
      daemon.persist(state);
      daemon.events().publish(dev.vigil.sentinel.monitor.SentinelEvent.master("+reset-master",
          state.name(), state.masterAddress(), null));
    });
  }

  /** Replaces the group's parameters (SENTINEL SET); links reconnect if credentials changed. */
  java.util.concurrent.CompletableFuture<Void> updateSpec(MasterSpec spec) {
    return onLoop(() -> {
      if (spec.equals(state.spec())) {
        return;
      }
      boolean authChanged = !java.util.Objects.equals(spec.authPass(), state.spec().authPass())
          || !java.util.Objects.equals(spec.authUser(), state.spec().authUser());
      state = state.withSpec(spec);
      if (authChanged) {
        for (NodeLink l : List.copyOf(links.values())) {
          if (!l.peer) {
            links.remove(l.address).close();
            connect(l.address, false);
          }
        }
      }
    });
  }

  /** Runs on the group's loop; the future completes once the change is applied. */
  private java.util.concurrent.CompletableFuture<Void> onLoop(Runnable r) {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    loop.execute(() -> {
      try {
        r.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private GroupMonitor monitor() {
    Timing t = daemon.timing();
    if (monitor == null || t != monitorTiming) {
      monitor = new GroupMonitor(daemon.myId(), t, daemon.config().forgetAfter().toMillis());
      core = new dev.vigil.sentinel.failover.FailoverCore(daemon.myId(), t, daemon.failoverSettings(),
          daemon.abstainUntil());
      monitorTiming = t;
    }
    return monitor;
  }

  private dev.vigil.sentinel.failover.FailoverCore core() {
    monitor();
    return core;
  }

  /**
   * A peer asks for our vote (IS-MASTER-DOWN-BY-ADDR with its run id). Decided on the group's
   * loop and persisted before the future completes, so the reply never promises an unwritten
   * vote.
   */
  java.util.concurrent.CompletableFuture<VoteReply> voteRequest(long epoch, String runId) {
    java.util.concurrent.CompletableFuture<VoteReply> done = new java.util.concurrent.CompletableFuture<>();
    loop.execute(() -> {
      try {
        var outcome = core().vote(state, daemon.currentEpoch(), epoch, runId, now(), random.nextLong());
        if (outcome.currentEpoch() > daemon.currentEpoch()) {
          daemon.adoptEpoch(outcome.currentEpoch());
        }
        state = outcome.state();
        if (outcome.persist()) {
          daemon.persist(state);
        }
        apply(new Transition(state, outcome.effects()));
        done.complete(new VoteReply(outcome.leader(), outcome.leaderEpoch()));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** SENTINEL FAILOVER: completes with false when a failover is already in progress. */
  java.util.concurrent.CompletableFuture<Boolean> forceFailover(boolean coordinated) {
    java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
    loop.execute(() -> {
      var t = core().force(state, now(), daemon.currentEpoch(), coordinated);
      t.ifPresent(this::apply);
      done.complete(t.isPresent());
    });
    return done;
  }

  private long now() {
    return daemon.clock().millis();
  }

  // ---- observations from links (any thread) ----

  /**
   * Hands an observation to this group's loop; dropped once the daemon is closing (links report
   * their loss while the loop shuts down, and there is nothing left to decide then).
   */
  private void observe(Runnable r) {
    if (loop.isShuttingDown()) {
      return;
    }
    try {
      loop.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // shut down between the check and the call
    }
  }

  @Override
  public void linkUp(Address address) {
    observe(() -> {
      apply(monitor().connected(state, address, now()));
      NodeLink l = links.get(address);
      if (l != null) {
        l.lastInfoRequestAt = -1;
        l.infoInFlight = false;
        sendPing(l);
      }
    });
  }

  @Override
  public void linkDown(Address address) {
    observe(() -> apply(monitor().disconnected(state, address, now())));
  }

  @Override
  public void helloReceived(String payload) {
    Hello.parse(payload).ifPresent(this::hello);
  }

  /** A hello for this group, from a node's channel or a peer's PUBLISH to our port. */
  void hello(Hello h) {
    observe(() -> apply(monitor().hello(state, h, daemon.currentEpoch(), now())));
  }

  // ---- the periodic work ----

  /**
   * Decides again the moment the master's down-after runs out since its last valid reply, not at
   * the next tick: the tick period would otherwise add up to 100 ms to every failover.
   */
  private void armSdownDeadline() {
    if (sdownDeadline != null) {
      sdownDeadline.cancel(false);
    }
    sdownDeadline = loop.schedule(this::decide, state.spec().downAfter().toMillis() + 1,
        TimeUnit.MILLISECONDS);
  }

  private void decide() {
    long now = now();
    if (!daemon.inTilt(now)) {
      apply(monitor().tick(state, now));
      apply(core().tick(state, now, daemon.currentEpoch(), random.nextLong() & Long.MAX_VALUE));
    }
  }

  private void tick() {
    try {
      long now = now();
      if (lastTickAt >= 0) {
        daemon.noteTickGap(now - lastTickAt, now);
      }
      lastTickAt = now;
      if (!daemon.inTilt(now)) {
        apply(monitor().tick(state, now));
        apply(core().tick(state, now, daemon.currentEpoch(), random.nextLong() & Long.MAX_VALUE));
        warnIfBlocked(now);
      }
      List<dev.vigil.sentinel.monitor.PollPlan.LinkView> views = new java.util.ArrayList<>();
      for (NodeLink l : links.values()) {
        views.add(new dev.vigil.sentinel.monitor.PollPlan.LinkView(l.address, l.peer, l.isUp(),
            l.infoInFlight, l.lastInfoRequestAt));
      }
      var plan = dev.vigil.sentinel.monitor.PollPlan.next(state, daemon.timing(), now, views, lastHelloAt);
      for (Address a : plan.ping()) {
        NodeLink l = links.get(a);
        if (l != null) {
          sendPing(l);
        }
      }
      for (Address a : plan.info()) {
        NodeLink l = links.get(a);
        if (l != null) {
          sendInfo(l, now);
        }
      }
      if (plan.hello()) {
        lastHelloAt = now;
        sendHellos();
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
    long askPeriod = daemon.timing().askPeriod().toMillis();
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

  private void sendPing(NodeLink l) {
    apply(monitor().pingSent(state, l.address, now()));
    l.ping().whenComplete((acceptable, error) -> {
      if (error == null) {
        observe(() -> {
          apply(monitor().pingReply(state, l.address, acceptable, now()));
          if (acceptable && l.address.equals(state.masterAddress())) {
            armSdownDeadline();
            if (state.agreement().failover() != null) {
              // The master answers during our failover: decide now (abort before the promotion,
              // fence after it), not at the next tick, while its clients come back too.
              decide();
            }
          }
        });
      }
    });
  }

  private void sendInfo(NodeLink l, long now) {
    l.infoInFlight = true;
    l.lastInfoRequestAt = now;
    l.info().whenComplete((info, error) -> observe(() -> {
      l.infoInFlight = false;
      if (error == null) {
        NodeInfo parsed = NodeInfo.parse(info);
        apply(monitor().info(state, l.address, parsed, now()));
        if (!daemon.inTilt(now())) {
          apply(core().info(state, l.address, parsed, now()));
        }
      }
    }));
  }

  private void sendHellos() {
    var f = state.agreement().failover();
    for (NodeLink l : links.values()) {
      if (!l.isUp()) {
        continue;
      }
      if (f != null && f.fenced() && l.address.equals(f.oldMaster())) {
        // PUBLISH waits out a write pause, and every command after it on this link with it:
        // the demotion that lifts the pause would wait for the pause to expire.
        continue;
      }
      String host = daemon.config().announceIp() != null ? daemon.config().announceIp() : l.localHost();
      if (host == null) {
        continue;
      }
      int port = daemon.config().announcePort() > 0 ? daemon.config().announcePort() : daemon.helloPort();
      Hello h = new Hello(new Address(host, port), daemon.myId(), daemon.currentEpoch(),
          state.name(), state.masterAddress(), state.configEpoch());
      l.publishHello(h.payload());
    }
  }

  // ---- effects ----

  private void apply(Transition t) {
    state = t.state();
    boolean persist = false;
    for (Effect e : t.effects()) {
      if (e instanceof Effect.Emit emit) {
        daemon.events().publish(emit.event());
      } else if (e instanceof Effect.Connect c) {
        connect(c.address(), c.peer());
      } else if (e instanceof Effect.Disconnect d) {
        NodeLink l = links.remove(d.address());
        if (l != null) {
          l.close();
        }
      } else if (e instanceof Effect.Persist) {
        persist = true;
      } else if (e instanceof Effect.AdoptEpoch a) {
        daemon.adoptEpoch(a.epoch());
      } else if (e instanceof Effect.AskPeers ask) {
        askPeers(ask.requestVote());
      } else if (e instanceof Effect.Promote p) {
        reconfigure(p.replica(), null, false);
      } else if (e instanceof Effect.ReplicaOf r) {
        reconfigure(r.node(), r.master(), r.unpause());
      } else if (e instanceof Effect.Fence f) {
        NodeLink l = links.get(f.node());
        if (l != null && l.isUp()) {
          l.pauseWrites(f.pauseMs()).whenComplete((r, error) -> {
            if (error != null) {
              log.warn("CLIENT PAUSE WRITE on {} failed: {}", f.node(), error.getMessage());
            }
          });
        }
      } else if (e instanceof Effect.Unfence u) {
        NodeLink l = links.get(u.node());
        if (l != null && l.isUp()) {
          l.unpause();
        }
      } else if (e instanceof Effect.HandOver h) {
        NodeLink l = links.get(h.master());
        if (l == null || !l.isUp()) {
          log.warn("cannot hand over: no link to master {}", h.master());
        } else {
          l.failoverTo(h.target(), h.timeoutMs()).whenComplete((r, error) -> {
            if (error != null) {
              log.warn("FAILOVER TO {} on {} failed: {}", h.target(), h.master(), error.getMessage());
            }
          });
        }
      } else if (e instanceof Effect.DisconnectClients d) {
        NodeLink l = links.get(d.node());
        if (l != null && l.isUp()) {
          l.disconnectClients();
        }
      } else if (e instanceof Effect.PublishHelloNow) {
        lastHelloAt = now();
        sendHellos();
      } else if (e instanceof Effect.RefreshInfo r) {
        NodeLink l = links.get(r.node());
        if (l != null && l.isUp() && !l.infoInFlight) {
          sendInfo(l, now());
        }
      }
    }
    if (persist) {
      daemon.persist(state);
    }
  }

  private void askPeers(boolean requestVote) {
    Address master = state.masterAddress();
    long configEpoch = state.configEpoch();
    long epoch = daemon.currentEpoch();
    String runId = requestVote ? daemon.myId() : "*";
    for (NodeLink l : links.values()) {
      if (!l.peer || !l.isUp()) {
        continue;
      }
      l.isMasterDown(master, epoch, runId).whenComplete((reply, error) -> {
        if (error != null || reply.size() != 3) {
          return;
        }
        try {
          boolean down = dev.vigil.resp3.value.Resp.longValue(reply.get(0)) == 1;
          String leader = dev.vigil.resp3.value.Resp.text(reply.get(1));
          long leaderEpoch = dev.vigil.resp3.value.Resp.longValue(reply.get(2));
          observe(() -> state.peerAt(l.address).ifPresent(p -> {
            state = core().peerAnswer(state, p.runId(), down, leader, leaderEpoch, master,
                configEpoch, now());
            // A vote or a down report just arrived: count it now rather than at the next tick.
            if (state.agreement().failover() != null || state.master().sdown()) {
              apply(core().tick(state, now(), daemon.currentEpoch(), random.nextLong() & Long.MAX_VALUE));
            }
          }));
        } catch (RuntimeException malformed) {
          log.debug("malformed is-master-down reply from {}: {}", l.address, reply);
        }
      });
    }
  }

  /** REPLICAOF NO ONE (master null) or REPLICAOF master on a node, then a quick INFO to confirm. */
  private void reconfigure(Address node, Address master, boolean unpause) {
    NodeLink l = links.get(node);
    if (l == null || !l.isUp()) {
      log.warn("cannot reconfigure {}: no link", node);
      return;
    }
    l.replicaOf(master, unpause).whenComplete((r, error) -> observe(() -> {
      if (error != null) {
        log.warn("REPLICAOF {} on {} failed: {}", master == null ? "NO ONE" : master, node,
            error.getMessage());
      }
      if (!l.infoInFlight) {
        sendInfo(l, now());
      }
    }));
  }

  private void connect(Address a, boolean peer) {
    if (links.containsKey(a)) {
      return;
    }
    MasterSpec spec = state.spec();
    Timing timing = daemon.timing();
    RespClientOptions options = RespClientOptions.of(a.host(), a.port())
        .withClientName("vigil-" + daemon.myId().substring(0, 8) + (peer ? "-peer" : "-cmd"))
        .withConnectTimeout(Duration.ofMillis(Math.max(200, Math.min(2_000,
            spec.downAfter().toMillis()))))
        .withCommandTimeout(Duration.ofMillis(Math.max(1_000, spec.downAfter().toMillis())))
        // Reconnect within a quarter second at most: a master that restarts after a failover
        // is demoted on its first INFO, which follows the reconnect; until then its old clients
        // can write to it. A refused connect every 250 ms to a dead node costs nothing.
        .withReconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(
            Math.max(50, Math.min(250, timing.pingPeriodFor(spec.downAfter()))))));
    if (daemon.config().tls().replication()) {
      options = options.withSsl(daemon.tls().client());
    }
    if (peer) {
      String pass = daemon.config().sentinelPass() != null ? daemon.config().sentinelPass()
          : daemon.config().requirePass();
      if (pass != null) {
        options = options.withAuth(daemon.config().sentinelUser(), pass);
      }
    } else if (spec.authPass() != null) {
      options = options.withAuth(spec.authUser(), spec.authPass());
    }
    NodeLink l = new NodeLink(daemon.client(), a, peer, options, this);
    links.put(a, l);
    l.start();
  }
}
