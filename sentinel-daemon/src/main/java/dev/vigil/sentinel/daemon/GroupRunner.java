package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.ReconnectPolicy;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.server.VoteReply;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around one group's {@link GroupDriver}: runs it on the group's Netty
 * event loop (one owner, no locks), gives it RESP3 links ({@link NodeLink}) and the daemon's
 * epochs, state file and events. Every decision and command order lives in the driver, which
 * the simulation runs too.
 */
final class GroupRunner {
  private final EventLoop loop;
  private final GroupDriver driver;

  GroupRunner(SentinelDaemon daemon, EventLoop loop, GroupState initial) {
    this.loop = loop;
    SplittableRandom random = new SplittableRandom();
    this.driver = new GroupDriver(new DaemonHost(daemon), new NettyLoop(loop, daemon.ticks()),
        (a, peer, spec, events) -> open(daemon, a, peer, spec, events), daemon.clock(),
        random::nextLong, LoggerFactory.getLogger(GroupRunner.class), initial);
  }

  GroupState state() {
    return driver.state();
  }

  String name() {
    return driver.state().name();
  }

  void start() {
    loop.execute(driver::start);
  }

  /** Stops acting and closes every link; completes once their channels are closed. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> driver.stop().whenComplete((v, e) -> done.complete(null)));
    return done;
  }

  /** SENTINEL RESET: forget replicas and peers; they are rediscovered within seconds. */
  CompletableFuture<Void> reset() {
    return onLoop(() -> {
      driver.reset();
      return null;
    });
  }

  /** Replaces the group's parameters (SENTINEL SET); links reconnect if credentials changed. */
  CompletableFuture<Void> updateSpec(MasterSpec spec) {
    return onLoop(() -> {
      driver.updateSpec(spec);
      return null;
    });
  }

  /**
   * A peer asks for our vote: decided on the group's loop and persisted before the future
   * completes, so the reply never promises an unwritten vote.
   */
  CompletableFuture<VoteReply> voteRequest(long epoch, String runId) {
    return onLoop(() -> driver.vote(epoch, runId));
  }

  /** SENTINEL FAILOVER: completes with false when a failover is already in progress. */
  CompletableFuture<Boolean> forceFailover(boolean coordinated) {
    return onLoop(() -> driver.forceFailover(coordinated));
  }

  /** A hello for this group, from a peer's PUBLISH to our port. */
  void hello(Hello h) {
    driver.hello(h);
  }

  /** Runs on the group's loop; the future completes with its result once applied. */
  private <T> CompletableFuture<T> onLoop(Supplier<T> r) {
    CompletableFuture<T> done = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        done.complete(r.get());
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private static LinkIo open(SentinelDaemon daemon, Address a, boolean peer, MasterSpec spec,
      LinkIo.Events events) {
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
    if (peer) {
      options = peerOptions(daemon, options);
    } else {
      options = withTls(daemon, options);
      if (spec.authPass() != null) {
        options = options.withAuth(spec.authUser(), spec.authPass());
      }
    }
    NodeLink l = new NodeLink(daemon.client(), a, peer, options, events);
    l.start();
    return l;
  }

  /**
   * How every connection to a peer daemon is secured: TLS when the daemon reaches its peers over
   * TLS (tls-replication), and sentinel-user/sentinel-pass (or requirepass) as its credentials.
   */
  static RespClientOptions peerOptions(SentinelDaemon daemon, RespClientOptions options) {
    options = withTls(daemon, options);
    String pass = daemon.config().sentinelPass() != null ? daemon.config().sentinelPass()
        : daemon.config().requirePass();
    return pass == null ? options : options.withAuth(daemon.config().sentinelUser(), pass);
  }

  private static RespClientOptions withTls(SentinelDaemon daemon, RespClientOptions options) {
    return daemon.config().tls().replication() ? options.withSsl(daemon.tls().client()) : options;
  }

  /** The group's Netty event loop as the driver's loop. */
  private record NettyLoop(EventLoop loop, SharedTicks ticks) implements GroupDriver.Loop {
    /**
     * Dropped once the daemon is closing: links report their loss while the loop shuts down,
     * and there is nothing left to decide then.
     */
    @Override
    public void execute(Runnable r) {
      if (loop.isShuttingDown()) {
        return;
      }
      try {
        loop.execute(r);
      } catch (RejectedExecutionException closing) {
        // shut down between the check and the call
      }
    }

    @Override
    public GroupDriver.Cancel schedule(long delayMs, Runnable r) {
      var f = loop.schedule(r, delayMs, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public GroupDriver.Cancel every(long periodMs, Runnable r) {
      return ticks.every(loop, periodMs, r);
    }
  }

  /** The daemon as the driver's host. */
  private record DaemonHost(SentinelDaemon daemon) implements GroupDriver.Host {
    @Override
    public String myId() {
      return daemon.myId();
    }

    @Override
    public long currentEpoch() {
      return daemon.currentEpoch();
    }

    @Override
    public void adoptEpoch(long epoch) {
      daemon.adoptEpoch(epoch);
    }

    @Override
    public void persist(GroupState g) {
      daemon.persist(g);
    }

    @Override
    public void persistLater(GroupState g) {
      daemon.persistLater(g);
    }

    @Override
    public void publish(SentinelEvent e) {
      daemon.events().publish(e);
    }

    @Override
    public Timing timing() {
      return daemon.timing();
    }

    @Override
    public FailoverTuning failoverSettings() {
      return daemon.failoverSettings();
    }

    @Override
    public dev.vigil.sentinel.failover.QuarantineGate quarantine() {
      return daemon.quarantine();
    }

    @Override
    public long forgetAfterMs() {
      return daemon.config().forgetAfter().toMillis();
    }

    @Override
    public void noteTickGap(long gapMs, long now) {
      daemon.noteTickGap(gapMs, now);
    }

    @Override
    public boolean inTilt(long now) {
      return daemon.inTilt(now);
    }

    @Override
    public Address helloAddress(LinkIo via) {
      String host = daemon.config().announceIp() != null ? daemon.config().announceIp()
          : via.localHost();
      if (host == null) {
        return null;
      }
      int port = daemon.config().announcePort() > 0 ? daemon.config().announcePort()
          : daemon.helloPort();
      return new Address(host, port);
    }
  }
}
