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
  private Timing monitorTiming;
  private ScheduledFuture<?> ticker;
  private long lastHelloAt = -1;

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

  void stop() {
    loop.execute(() -> {
      if (ticker != null) {
        ticker.cancel(false);
      }
      links.values().forEach(NodeLink::close);
      links.clear();
    });
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
      monitorTiming = t;
    }
    return monitor;
  }

  private long now() {
    return daemon.clock().millis();
  }

  // ---- observations from links (any thread) ----

  @Override
  public void linkUp(Address address) {
    loop.execute(() -> {
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
    loop.execute(() -> apply(monitor().disconnected(state, address, now())));
  }

  @Override
  public void helloReceived(String payload) {
    Hello.parse(payload).ifPresent(this::hello);
  }

  /** A hello for this group, from a node's channel or a peer's PUBLISH to our port. */
  void hello(Hello h) {
    loop.execute(() -> apply(monitor().hello(state, h, daemon.currentEpoch(), now())));
  }

  // ---- the periodic work ----

  private void tick() {
    try {
      long now = now();
      apply(monitor().tick(state, now));
      Timing timing = daemon.timing();
      long pingPeriod = Math.max(1, Math.min(timing.pingPeriod().toMillis(),
          state.spec().downAfter().toMillis() / 2));
      boolean masterTrouble = state.master().sdown();
      for (NodeLink l : links.values()) {
        // As Sentinel: poll fast while the master is down or a replica's own link is not up yet.
        boolean replicaSyncing = state.node(l.address).map(n -> n.info() != null
            && n.role() == dev.vigil.sentinel.monitor.NodeRole.REPLICA && !n.info().masterLinkUp())
            .orElse(false);
        long infoPeriod = (masterTrouble || replicaSyncing ? timing.fastInfoPeriod()
            : timing.infoPeriod()).toMillis();
        if (!l.isUp()) {
          continue;
        }
        if (linkOf(l.address).map(x -> x.pingDue(now, pingPeriod)).orElse(false)) {
          sendPing(l);
        }
        if (!l.peer && !l.infoInFlight
            && (l.lastInfoRequestAt < 0 || now - l.lastInfoRequestAt >= infoPeriod)) {
          sendInfo(l, now);
        }
      }
      if (lastHelloAt < 0 || now - lastHelloAt >= timing.publishPeriod().toMillis()) {
        lastHelloAt = now;
        sendHellos();
      }
    } catch (RuntimeException e) {
      log.error("tick of {} failed", state.name(), e);
    }
  }

  private java.util.Optional<dev.vigil.sentinel.monitor.Link> linkOf(Address a) {
    java.util.Optional<NodeState> n = state.node(a);
    if (n.isPresent()) {
      return n.map(NodeState::link);
    }
    return state.peerAt(a).map(PeerState::link);
  }

  private void sendPing(NodeLink l) {
    apply(monitor().pingSent(state, l.address, now()));
    l.ping().whenComplete((acceptable, error) -> {
      if (error == null) {
        loop.execute(() -> apply(monitor().pingReply(state, l.address, acceptable, now())));
      }
    });
  }

  private void sendInfo(NodeLink l, long now) {
    l.infoInFlight = true;
    l.lastInfoRequestAt = now;
    l.info().whenComplete((info, error) -> loop.execute(() -> {
      l.infoInFlight = false;
      if (error == null) {
        apply(monitor().info(state, l.address, NodeInfo.parse(info), now()));
      }
    }));
  }

  private void sendHellos() {
    for (NodeLink l : links.values()) {
      if (!l.isUp()) {
        continue;
      }
      String host = daemon.config().announceIp() != null ? daemon.config().announceIp() : l.localHost();
      if (host == null) {
        continue;
      }
      int port = daemon.config().announcePort() > 0 ? daemon.config().announcePort() : daemon.port();
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
      }
    }
    if (persist) {
      daemon.persist(state);
    }
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
        .withReconnect(new ReconnectPolicy(Duration.ofMillis(50),
            timing.pingPeriod().compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50)
                : timing.pingPeriod()));
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
