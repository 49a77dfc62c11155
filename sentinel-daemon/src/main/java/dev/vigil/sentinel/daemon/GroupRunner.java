package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.failover.ForceOutcome;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.server.VoteReply;
import io.netty.channel.EventLoop;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around one group's {@link GroupDriver}: runs it on the group's Netty
 * event loop (one owner, no locks), gives it RESP3 links ({@link DaemonLinks}) and the daemon
 * as its host (epochs, state file, events), without knowing the daemon itself. Every decision and command order lives in the driver, which
 * the simulation runs too.
 */
final class GroupRunner {
  private final EventLoop loop;
  private final GroupDriver driver;

  GroupRunner(GroupDriver.Host host, DaemonLinks links, EventLoop loop, SharedTicks ticks,
      Clock clock, GroupState initial) {
    this.loop = loop;
    SplittableRandom random = new SplittableRandom();
    this.driver = new GroupDriver(host, new NettyLoop(loop, ticks), links.on(loop), clock,
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

  /** SENTINEL FAILOVER: completes with whether it started, or why not. */
  CompletableFuture<ForceOutcome> forceFailover(boolean coordinated) {
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
}
