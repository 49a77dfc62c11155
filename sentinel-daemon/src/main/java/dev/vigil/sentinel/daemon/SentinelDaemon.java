package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.Transport;
import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.config.LoadedConfig;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.http.DaemonStatus;
import dev.vigil.sentinel.http.HttpEndpoints;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.server.DaemonCommands;
import dev.vigil.sentinel.server.SentinelServer;
import dev.vigil.sentinel.server.VoteReply;
import dev.vigil.sentinel.state.DaemonState;
import dev.vigil.sentinel.state.GroupRecord;
import dev.vigil.sentinel.state.StateStore;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon: its state store, a group runner per monitored master, the Sentinel-protocol server
 * and the HTTP endpoints, on one small event loop group. The server and the endpoints see it only
 * through the interfaces they own ({@link DaemonCommands}, {@link DaemonStatus}).
 */
public final class SentinelDaemon implements DaemonCommands, DaemonStatus, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SentinelDaemon.class);

  private volatile DaemonConfig config;
  private volatile String logLevel = "notice";
  private final StateStore store;
  private final Clock clock;
  private final EventBus events = new EventBus();
  private final EventLoopGroup loops;
  private final dev.vigil.sentinel.tls.TlsReloader tls;
  /**
   * Group membership, in configuration order. MONITOR and REMOVE (serialized by this object's
   * lock) replace the whole unmodifiable map; any thread reads the current one without a lock and
   * always sees a complete set, never one half-way through a change.
   */
  private volatile Map<String, GroupRunner> runners = Map.of();
  private final Map<String, MasterSpec> specs = new LinkedHashMap<>();
  private final long startedAt;
  private final dev.vigil.sentinel.failover.QuarantineGate quarantine;
  private final boolean restartedInQuarantine;
  /** How long the quarantine's peers are still asked for their epochs, from the start (ms). */
  private final long proofLeftMs;
  private final java.util.function.LongSupplier wallClock;
  private volatile QuarantineProber prober;
  private volatile Timing timing;
  private SentinelServer server;
  private HttpEndpoints http;
  private Runnable onShutdownRequest = () -> { };
  private final Tilt tilt = new Tilt(() -> timing, e -> events.publish(e));
  /** The groups' tick timers, one per event loop. */
  private final SharedTicks ticks = new SharedTicks();
  private final GroupHost groupHost = new GroupHost();
  private final DaemonLinks links;

  public SentinelDaemon(LoadedConfig loaded, Clock clock) {
    this(loaded, clock, System::currentTimeMillis);
  }

  /**
   * @param wallClock wall-clock milliseconds, only for the fresh-identity quarantine's end, which
   *     the state file records across restarts (the monotonic {@code clock} restarts with the JVM)
   */
  public SentinelDaemon(LoadedConfig loaded, Clock clock, java.util.function.LongSupplier wallClock) {
    this.config = loaded.config();
    this.clock = clock;
    this.wallClock = wallClock;
    this.timing = config.timing();
    long quarantineMs = config.failover().freshIdentityQuarantineMs();
    long wallNow = wallClock.getAsLong();
    long remaining = dev.vigil.sentinel.failover.Quarantine.remainingMs(loaded.freshIdentity(),
        loaded.state().quarantineUntil(), wallNow, quarantineMs);
    boolean listed = !config.failover().peers().isEmpty();
    // A fresh identity with a peer list asks the peers for their epochs, during the quarantine
    // and for a while after it (QuarantineProber), a restart included.
    DaemonState initial = loaded.freshIdentity() && remaining > 0
        ? loaded.state().withQuarantineUntil(wallNow + remaining)
            .withProofUntil(listed ? wallNow + remaining + QuarantineProber.LATE_LIMIT_MS : 0)
        : loaded.state();
    this.proofLeftMs = listed ? Math.max(0, initial.proofUntil() - wallNow) : 0;
    this.store = new StateStore(config, initial);
    config.masters().forEach(m -> specs.put(m.name(), m));
    store.specs(config.masters());
    // Before any thread or socket exists: a bad certificate or key fails the start in one line.
    this.tls = config.tls().inUse()
        ? new dev.vigil.sentinel.tls.TlsReloader(config.tls(),
            () -> this.config.announceHostnames() || this.config.resolveHostnames())
        : null;
    this.loops = Transport.preferred().newGroup(2);
    this.links = new DaemonLinks(new RespClient(loops), () -> this.config, () -> this.timing, tls, this::myId);
    this.startedAt = clock.millis();
    this.quarantine = new dev.vigil.sentinel.failover.QuarantineGate(
        remaining > 0 ? startedAt + remaining : -1, initial.voteFloor());
    this.restartedInQuarantine = !loaded.freshIdentity() && remaining > 0;
    loaded.warnings().forEach(w -> log.warn("config: {}", w));
  }

  /** Persists state (proving the state file writable), then starts watching and serving. */
  public SentinelDaemon start() throws InterruptedException {
    store.flush();
    DaemonState state = store.state();
    log.info("vigil daemon {} starting: {} group(s), current epoch {}, state in {}",
        state.myId(), config.masters().size(), state.currentEpoch(), config.stateFile());
    if (restartedInQuarantine) {
      log.info("restarted within the fresh-identity quarantine of run id {}: not voting or "
          + "starting a failover for {} more ms", state.myId(), quarantine.until() - startedAt);
    } else if (quarantine.until() >= 0) {
      log.info("no earlier state found: new run id {}; not voting or starting a failover for the "
          + "first {} ms (vigil.failover.fresh-identity-quarantine)", state.myId(),
          config.failover().freshIdentityQuarantineMs());
    }
    Map<String, GroupRunner> configured = new LinkedHashMap<>();
    for (MasterSpec spec : config.masters()) {
      GroupRecord record = state.groups().get(spec.name());
      GroupState initial = GroupState.initial(spec, record, clock.millis());
      GroupRunner runner = newRunner(initial);
      configured.put(spec.name(), runner);
      events.publish(SentinelEvent.master("+monitor", spec.name(), initial.masterAddress(),
          "quorum " + spec.quorum()));
    }
    runners = Collections.unmodifiableMap(configured);
    if (tls != null) {
      tls.start(loops);
    }
    int tlsPort = config.tls().port();
    if (config.port() == 0 && tlsPort > 0 && !config.tls().tlsTo(tlsPort)) {
      log.warn("config: TLS only (port 0) without tls-replication: peers connect in plaintext "
          + "and cannot reach this daemon; set tls-replication yes");
    }
    server = new SentinelServer(this, loops);
    events.subscribe(server::publish);
    server.start();
    server.onShutdown(() -> onShutdownRequest.run());
    if (config.httpPort() > 0) {
      http = new HttpEndpoints(this, loops).start();
    }
    runners.values().forEach(GroupRunner::start);
    java.util.List<dev.vigil.sentinel.config.Address> peers = config.failover().peers();
    if (!peers.isEmpty() && (quarantine.abstaining(clock.millis()) || proofLeftMs > 0)) {
      // After the server is up: this daemon's own address may be listed, and answers itself.
      if (quarantine.abstaining(clock.millis())) {
        log.info("asking the {} configured daemons (vigil.failover.peers) for their current "
            + "epoch: the quarantine ends as soon as every one has answered", peers.size());
      } else {
        log.info("restarted before every configured daemon had answered this identity's "
            + "quarantine: asking them again for their current epoch, for {} more ms",
            proofLeftMs);
      }
      prober = new QuarantineProber(groupHost, loops.next(), peers, startedAt + proofLeftMs);
      prober.start();
    }
    return this;
  }

  /** What to do when a client sends SHUTDOWN (the CLI exits the process). */
  public void onShutdownRequest(Runnable r) {
    this.onShutdownRequest = r;
  }

  @Override
  public DaemonConfig config() {
    return config;
  }

  @Override
  public String myId() {
    return store.state().myId();
  }

  @Override
  public long currentEpoch() {
    return store.state().currentEpoch();
  }

  @Override
  public Timing timing() {
    return timing;
  }

  @Override
  public void timing(Timing t) {
    this.timing = t;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  public EventBus events() {
    return events;
  }

  /**
   * The port clients reach this daemon on (the bound port: config may say 0 in tests); the TLS
   * port when the daemon listens on TLS only.
   */
  public int port() {
    return server == null ? config.port() : server.port();
  }

  /** The bound TLS port, or 0 when there is no TLS listener. */
  public int tlsPort() {
    return server == null ? config.tls().port() : server.tlsPort();
  }

  /**
   * The port announced to peers in hello messages when no announce-port is set: the TLS port
   * when tls-replication is on (peers then connect over TLS), as Sentinel announces.
   */
  public int helloPort() {
    return config.tls().replication() && tlsPort() > 0 ? tlsPort() : port();
  }

  /** The TLS contexts (listener, outbound links), or null when TLS is off. */
  @Override
  public dev.vigil.sentinel.tls.TlsReloader tls() {
    return tls;
  }

  public int httpPort() {
    return http == null ? 0 : http.port();
  }

  @Override
  public long uptimeMillis() {
    return clock.millis() - startedAt;
  }

  /** Snapshots of every group, in configuration order. */
  @Override
  public List<GroupState> groups() {
    Map<String, GroupRunner> current = runners;
    List<GroupState> out = new ArrayList<>(current.size());
    current.values().forEach(r -> out.add(r.state()));
    return out;
  }

  @Override
  public GroupState group(String name) {
    GroupRunner r = runners.get(name);
    return r == null ? null : r.state();
  }

  Collection<GroupRunner> runners() {
    return runners.values();
  }

  private GroupRunner newRunner(GroupState initial) {
    return new GroupRunner(groupHost, links, loops.next(), ticks, clock, initial);
  }

  SharedTicks ticks() {
    return ticks;
  }

  /** A group loop reports the gap between two of its ticks; a stall enters TILT. */
  public void noteTickGap(long gapMs, long now) {
    tilt.noteTickGap(gapMs, now);
  }

  /** True while in TILT; leaves it (with -tilt) once tilt-period has passed since the last stall. */
  @Override
  public boolean inTilt(long now) {
    return tilt.inTilt(now);
  }

  /** TILT as of {@code now}, having left it (with -tilt) if its period has passed. */
  @Override
  public TiltState tilt(long now) {
    return tilt.at(now);
  }

  /** Failover tunables (see reference.conf, vigil.failover). */
  public dev.vigil.sentinel.config.FailoverTuning failoverSettings() {
    return config.failover();
  }

  @Override
  public long abstainUntil() {
    return quarantine.until();
  }

  /** Whether this daemon still sits out elections (its fresh-identity quarantine). */
  public boolean abstaining() {
    return quarantine.abstaining(clock.millis());
  }

  /** The fresh-identity quarantine and the vote floor its early end set. */
  public dev.vigil.sentinel.failover.QuarantineGate quarantine() {
    return quarantine;
  }

  /**
   * Every configured daemon has answered ({@code proof} is complete): the vote floor and the
   * current epoch at least that high are persisted first, so that no restart can forget them,
   * and only then do the groups see the quarantine end. Called on the prober's loop.
   */
  void endQuarantine(dev.vigil.sentinel.failover.QuarantineProof proof) {
    long epochBefore = currentEpoch();
    long[] highest = new long[1];
    DaemonState s = store.update(st -> {
      // Inside the update: an epoch adopted meanwhile is in the floor too.
      highest[0] = proof.floor(st.currentEpoch()).orElseThrow();
      return st.withQuarantineProven(highest[0], wallClock.getAsLong());
    });
    quarantine.endWithFloor(s.voteFloor());
    if (s.currentEpoch() > epochBefore) {
      events.publish(new SentinelEvent("+new-epoch", Long.toString(s.currentEpoch())));
    }
    log.info("fresh-identity quarantine ended after {} ms: all {} configured daemons answered, "
        + "highest epoch {}; never voting in an epoch up to {}", clock.millis() - startedAt,
        proof.peers().size(), highest[0], s.voteFloor());
  }

  /**
   * A configured daemon's answer after the quarantine, or during it when not yet every one has
   * answered, raised the vote floor: persisted with the current epoch at least as high before the
   * groups see it ({@code complete}: every one has answered now, and the asking ends for good).
   * Called on the prober's loop.
   */
  void raiseVoteFloor(long floor, boolean complete) {
    long floorBefore = quarantine.floor();
    if (floor <= floorBefore && !complete) {
      return;
    }
    long epochBefore = currentEpoch();
    DaemonState s = store.update(st -> complete
        ? st.withVoteFloor(floor).withProofUntil(0) : st.withVoteFloor(floor));
    quarantine.raiseFloor(s.voteFloor());
    if (s.currentEpoch() > epochBefore) {
      events.publish(new SentinelEvent("+new-epoch", Long.toString(s.currentEpoch())));
    }
    if (s.voteFloor() > floorBefore) {
      log.info("quarantine proof: an answer raised the vote floor to {} (never voting in an "
          + "epoch up to it)", s.voteFloor());
    }
  }

  /**
   * IS-MASTER-DOWN-BY-ADDR with a run id: the vote of the group watching that master address.
   * Completes with the vote given, after it is persisted.
   */
  public java.util.concurrent.CompletableFuture<VoteReply> voteRequest(GroupState group,
      long epoch, String runId) {
    GroupRunner r = runners.get(group.name());
    return r == null
        ? java.util.concurrent.CompletableFuture.completedFuture(VoteReply.NONE)
        : r.voteRequest(epoch, runId);
  }

  /** SENTINEL FAILOVER name [COORDINATED]. */
  @Override
  public java.util.concurrent.CompletableFuture<dev.vigil.sentinel.failover.ForceOutcome> forceFailover(
      String name, boolean coordinated) {
    GroupRunner r = runners.get(name);
    return r == null ? java.util.concurrent.CompletableFuture.completedFuture(
        dev.vigil.sentinel.failover.ForceOutcome.NO_SUCH_GROUP)
        : r.forceFailover(coordinated);
  }

  /** Delivers a hello received on our own port (a peer's PUBLISH) to its group. */
  @Override
  public void helloFromPeer(dev.vigil.sentinel.monitor.Hello h) {
    GroupRunner r = runners.get(h.masterName());
    if (r != null) {
      r.hello(h);
    }
  }

  /** Raises the global epoch (persisted first), never lowers it. */
  public void adoptEpoch(long epoch) {
    long before = currentEpoch();
    if (epoch > before) {
      store.update(s -> s.withCurrentEpoch(epoch));
      events.publish(new SentinelEvent("+new-epoch", Long.toString(epoch)));
    }
  }

  /** A group's record, coalesced with other deferred changes (discoveries). */
  void persistLater(GroupState g) {
    dev.vigil.sentinel.state.GroupRecord record = g.record();
    store.updateLater("group " + g.name(), s -> s.withGroup(record));
  }

  void persist(GroupState g) {
    store.update(s -> s.withGroup(g.record()));
  }

  /** SENTINEL MONITOR: starts watching a new group (persisted in sentinel.conf mode). */
  @Override
  public synchronized void addGroup(MasterSpec spec) {
    if (runners.containsKey(spec.name())) {
      throw new IllegalArgumentException("Duplicate master name.");
    }
    GroupRecord record = GroupRecord.monitoredAt(spec.name(), spec.address(), currentEpoch());
    GroupState initial = GroupState.initial(spec, record, clock.millis());
    GroupRunner runner = newRunner(initial);
    Map<String, GroupRunner> next = new LinkedHashMap<>(runners);
    next.put(spec.name(), runner);
    runners = Collections.unmodifiableMap(next);
    specs.put(spec.name(), spec);
    store.specs(List.copyOf(specs.values()));
    store.update(s -> s.withGroup(record));
    events.publish(SentinelEvent.master("+monitor", spec.name(), spec.address(),
        "quorum " + spec.quorum()));
    runner.start();
  }

  /** SENTINEL REMOVE. */
  @Override
  public synchronized boolean removeGroup(String name) {
    GroupRunner r = runners.get(name);
    if (r == null) {
      return false;
    }
    Map<String, GroupRunner> next = new LinkedHashMap<>(runners);
    next.remove(name);
    runners = Collections.unmodifiableMap(next);
    r.stop();
    specs.remove(name);
    store.specs(List.copyOf(specs.values()));
    store.update(s -> s.withoutGroup(name));
    events.publish(SentinelEvent.master("-monitor", name, r.state().masterAddress(), null));
    return true;
  }

  /** SENTINEL SET: one option of a group changed. */
  @Override
  public synchronized java.util.concurrent.CompletableFuture<Void> updateGroup(MasterSpec spec,
      String option, String shownValue) {
    GroupRunner r = runners.get(spec.name());
    if (r == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    specs.put(spec.name(), spec);
    store.specs(List.copyOf(specs.values()));
    store.flush();
    events.publish(SentinelEvent.master("+set", spec.name(), r.state().masterAddress(),
        option + " " + shownValue));
    return r.updateSpec(spec);
  }

  /** SENTINEL RESET pattern: the number of groups reset. */
  @Override
  public java.util.concurrent.CompletableFuture<Integer> resetGroups(String pattern) {
    List<java.util.concurrent.CompletableFuture<Void>> resets = new ArrayList<>();
    for (GroupRunner r : runners.values()) {
      if (dev.vigil.sentinel.server.Glob.matches(pattern, r.name())) {
        resets.add(r.reset());
      }
    }
    return java.util.concurrent.CompletableFuture.allOf(
        resets.toArray(java.util.concurrent.CompletableFuture[]::new)).thenApply(x -> resets.size());
  }

  /**
   * SENTINEL CONFIG SET: every pair is validated before any is applied (all or nothing), then
   * the configuration is swapped and persisted (into the sentinel.conf in that mode).
   *
   * @throws IllegalArgumentException naming the first bad parameter or value
   */
  @Override
  public synchronized void configSet(Map<String, String> values) {
    DaemonConfig next = config;
    for (Map.Entry<String, String> e : values.entrySet()) {
      next = next.with(e.getKey(), e.getValue());
    }
    config = next;
    store.config(next);
    store.flush();
    if (values.containsKey("loglevel")) {
      logLevel = values.get("loglevel");
      ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
          LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.setLevel(switch (logLevel) {
        case "debug", "verbose" -> ch.qos.logback.classic.Level.DEBUG;
        case "warning" -> ch.qos.logback.classic.Level.WARN;
        case "nothing" -> ch.qos.logback.classic.Level.OFF;
        default -> ch.qos.logback.classic.Level.INFO;
      });
    }
  }

  /** The values SENTINEL CONFIG GET reports. */
  @Override
  public Map<String, String> configValues() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("resolve-hostnames", config.resolveHostnames() ? "yes" : "no");
    m.put("announce-hostnames", config.announceHostnames() ? "yes" : "no");
    m.put("announce-ip", config.announceIp() == null ? "" : config.announceIp());
    m.put("announce-port", Integer.toString(config.announcePort()));
    m.put("sentinel-user", config.sentinelUser() == null ? "" : config.sentinelUser());
    m.put("sentinel-pass", config.sentinelPass() == null ? "" : config.sentinelPass());
    m.put("loglevel", logLevel);
    return m;
  }

  /** SENTINEL FLUSHCONFIG. */
  @Override
  public void flushConfig() {
    store.flush();
  }

  @Override
  public void close() {
    // Links are closed while their loops still run, so nothing reacts to a loss on a dead loop.
    java.util.stream.Stream<java.util.concurrent.CompletableFuture<Void>> proberStop =
        prober == null ? java.util.stream.Stream.empty() : java.util.stream.Stream.of(prober.stop());
    java.util.concurrent.CompletableFuture<?>[] stopping = java.util.stream.Stream.concat(
        proberStop, runners.values().stream().map(GroupRunner::stop))
        .toArray(java.util.concurrent.CompletableFuture[]::new);
    try {
      java.util.concurrent.CompletableFuture.allOf(stopping).get(2, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.debug("links still closing at shutdown: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (server != null) {
      server.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (http != null) {
      http.close();
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    store.close();
    log.info("vigil daemon {} stopped", myId());
  }

  /**
   * The daemon as its groups' host, one for all of them (it holds nothing of a group's), and as
   * what its quarantine prober asks of it.
   */
  private final class GroupHost implements GroupDriver.Host, QuarantineProber.Daemon {
    @Override
    public String myId() {
      return SentinelDaemon.this.myId();
    }

    @Override
    public long currentEpoch() {
      return SentinelDaemon.this.currentEpoch();
    }

    @Override
    public long millis() {
      return clock.millis();
    }

    @Override
    public boolean abstaining() {
      return SentinelDaemon.this.abstaining();
    }

    @Override
    public dev.vigil.resp3.client.RespConnection peerConnection(
        dev.vigil.resp3.client.RespClientOptions options) {
      return links.client().newConnection(links.peerOptions(options));
    }

    @Override
    public void endQuarantine(dev.vigil.sentinel.failover.QuarantineProof proof) {
      SentinelDaemon.this.endQuarantine(proof);
    }

    @Override
    public void raiseVoteFloor(long floor, boolean complete) {
      SentinelDaemon.this.raiseVoteFloor(floor, complete);
    }

    @Override
    public void adoptEpoch(long epoch) {
      SentinelDaemon.this.adoptEpoch(epoch);
    }

    @Override
    public void persist(GroupState g) {
      SentinelDaemon.this.persist(g);
    }

    @Override
    public void persistLater(GroupState g) {
      SentinelDaemon.this.persistLater(g);
    }

    @Override
    public void publish(SentinelEvent e) {
      events.publish(e);
    }

    @Override
    public Timing timing() {
      return SentinelDaemon.this.timing();
    }

    @Override
    public dev.vigil.sentinel.config.FailoverTuning failoverSettings() {
      return SentinelDaemon.this.failoverSettings();
    }

    @Override
    public dev.vigil.sentinel.failover.QuarantineGate quarantine() {
      return SentinelDaemon.this.quarantine();
    }

    @Override
    public long forgetAfterMs() {
      return config.forgetAfter().toMillis();
    }

    @Override
    public void noteTickGap(long gapMs, long now) {
      SentinelDaemon.this.noteTickGap(gapMs, now);
    }

    @Override
    public boolean inTilt(long now) {
      return SentinelDaemon.this.inTilt(now);
    }

    @Override
    public dev.vigil.sentinel.config.Address helloAddress(LinkIo via) {
      String host = config.announceIp() != null ? config.announceIp()
          : via.localHost();
      if (host == null) {
        return null;
      }
      int port = config.announcePort() > 0 ? config.announcePort()
          : SentinelDaemon.this.helloPort();
      return new dev.vigil.sentinel.config.Address(host, port);
    }
  }
}
