package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.tls.TlsFailure;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.failover.QuarantineProof;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link QuarantineProof}: a daemon that started without its state asks every
 * configured peer ({@code vigil.failover.peers}) for its current epoch, each on a new connection
 * (so the answer is one given after this start, as the proof requires). Each answer raises the
 * persisted vote floor to the epoch it gives; once every one has answered the daemon ends the
 * quarantine. Asking goes on after the quarantine's timed end, more slowly, until every address
 * has answered: a peer cut off for the whole quarantine may hold the epoch the forgotten identity
 * voted in, and its answer must still block that epoch.
 *
 * <p>One event loop owns the proof, the in-flight set and the failure notes; replies arrive on
 * whichever loop their connection has and are handed over to it.
 */
final class QuarantineProber {
  private static final Logger log = LoggerFactory.getLogger(QuarantineProber.class);

  /** How often addresses that have not answered are asked again. */
  static final long PERIOD_MS = 250;
  /** After the quarantine's timed end (Quarantine.LATE_PERIOD_MS). */
  static final long LATE_PERIOD_MS = dev.vigil.sentinel.failover.Quarantine.LATE_PERIOD_MS;
  /** How long after the timed end the asking goes on (Quarantine.LATE_LIMIT_MS). */
  static final long LATE_LIMIT_MS = dev.vigil.sentinel.failover.Quarantine.LATE_LIMIT_MS;
  /**
   * Short: a peer that does not answer within a second is asked again on the next round, on a
   * new connection, rather than held up behind a slow handshake.
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** What the prober needs of its daemon: owned here, so the dependency points one way. */
  interface Daemon {
    String myId();

    long currentEpoch();

    /** The daemon's monotonic clock, ms. */
    long millis();

    /** Whether the daemon still abstains (its timed quarantine has not run out). */
    boolean abstaining();

    /** A new, unconnected connection secured and authenticated as every link to a peer is. */
    RespConnection peerConnection(RespClientOptions options);

    /** Persists the vote floor and ends the quarantine; throws when it could not be recorded. */
    void endQuarantine(QuarantineProof proof);

    /**
     * Persists a vote floor this high, then applies it, and with {@code complete} records that
     * the asking is over; throws when it could not be recorded.
     */
    void raiseVoteFloor(long floor, boolean complete);
  }

  private final Daemon daemon;
  private final EventLoop loop;
  private QuarantineProof proof;
  private final Set<Address> asking = new HashSet<>();
  private final Set<RespConnection> open = new LinkedHashSet<>();
  /** Why each address has not answered, as last logged: a reason is logged once per change. */
  private final Map<Address, String> lastFailure = new HashMap<>();
  /** When each address was last asked, to pace the questions after the timed end. */
  private final Map<Address, Long> lastAsked = new HashMap<>();
  private boolean timedOut;
  /** Whether it started within the quarantine (not after a restart past its timed end). */
  private final boolean startedAbstaining;
  /** When to stop asking (the daemon's monotonic ms). */
  private final long askUntil;
  private ScheduledFuture<?> timer;
  private boolean stopped;

  QuarantineProber(Daemon daemon, EventLoop loop, List<Address> peers, long askUntil) {
    this.daemon = daemon;
    this.loop = loop;
    this.askUntil = askUntil;
    this.startedAbstaining = daemon.abstaining();
    this.proof = QuarantineProof.start(daemon.myId(), new java.util.LinkedHashSet<>(peers));
  }

  void start() {
    run(() -> {
      if (!stopped) {
        timer = loop.scheduleWithFixedDelay(this::round, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
      }
    });
  }

  /** Stops asking and closes the connections still open; completes once that is done. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!run(() -> {
      halt();
      done.complete(null);
    })) {
      done.complete(null);
    }
    return done;
  }

  private void halt() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
    open.forEach(RespConnection::closeAsync);
    open.clear();
  }

  private void round() {
    if (stopped) {
      return;
    }
    if (!timedOut && !daemon.abstaining()) {
      timedOut = true;
      if (startedAbstaining) {
        log.info("fresh-identity quarantine ended by time before every configured daemon "
            + "answered (no answer from {}); asking them every {} ms still, each answer blocks "
            + "the epochs up to its own", proof.waitingFor(), LATE_PERIOD_MS);
      }
    }
    long now = daemon.millis();
    if (timedOut && now >= askUntil) {
      log.warn("quarantine proof: no answer from {} in {} ms after the quarantine's end; "
          + "taken as gone, no longer asked", proof.waitingFor(), LATE_LIMIT_MS);
      halt();
      return;
    }
    for (Address a : proof.waitingFor()) {
      Long last = lastAsked.get(a);
      if ((!timedOut || last == null || now - last >= LATE_PERIOD_MS) && asking.add(a)) {
        lastAsked.put(a, now);
        ask(a);
      }
    }
  }

  private void ask(Address a) {
    RespConnection c = daemon.peerConnection(RespClientOptions.of(a.host(), a.port())
        .withClientName("vigil-" + daemon.myId().substring(0, 8) + "-proof")
        .withConnectTimeout(TIMEOUT)
        .withCommandTimeout(TIMEOUT));
    open.add(c);
    c.connect().thenCompose(x -> x.send("SENTINEL", "VIGIL-EPOCH")).whenComplete((reply, error) -> {
      c.closeAsync();
      run(() -> {
        open.remove(c);
        asking.remove(a);
        if (!stopped) {
          answer(a, reply, error);
        }
      });
    });
  }

  private void answer(Address a, RespValue reply, Throwable error) {
    if (error != null) {
      failed(a, error);
      return;
    }
    String runId;
    long epoch;
    Set<Address> known = new LinkedHashSet<>();
    try {
      List<RespValue> fields = Resp.elements(reply);
      if (fields.size() != 3 || Resp.text(fields.get(0)) == null) {
        throw new IllegalArgumentException("malformed SENTINEL VIGIL-EPOCH reply " + reply);
      }
      runId = Resp.text(fields.get(0));
      epoch = Resp.longValue(fields.get(1));
      for (RespValue k : Resp.elements(fields.get(2))) {
        known.add(Address.parse(Resp.text(k)));
      }
    } catch (RuntimeException e) {
      failed(a, e);
      return;
    }
    if (lastFailure.remove(a) != null) {
      log.info("quarantine proof: {} answered after all", a);
    }
    Set<Address> before = proof.peers();
    proof = proof.answered(a, runId, epoch, known);
    if (!before.containsAll(proof.peers())) {
      Set<Address> added = new LinkedHashSet<>(proof.peers());
      added.removeAll(before);
      log.info("quarantine proof: {} knows daemons not in vigil.failover.peers, asking them too: {}",
          a, added);
    }
    if (!proof.complete() || timedOut) {
      try {
        daemon.raiseVoteFloor(proof.partialFloor().orElse(0), proof.complete());
      } catch (RuntimeException e) {
        // Not persisted, so not applied: the next answer of this address tries again.
        proof = proof.withoutAnswer(a);
        log.error("quarantine proof: the answer of {} could not be recorded ({})", a,
            e.getMessage());
        return;
      }
      if (proof.complete()) {
        halt();
        log.info("quarantine proof: every configured daemon has answered, after the timed end");
      }
      return;
    }
    try {
      daemon.endQuarantine(proof);
      halt();
    } catch (RuntimeException e) {
      // Not persisted, so not ended: the timed quarantine still holds, and the next answer of
      // this address tries again.
      proof = proof.withoutAnswer(a);
      log.error("quarantine proof complete but not recorded ({}): keeping the timed quarantine",
          e.getMessage());
    }
  }

  private void failed(Address a, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException
        && error.getCause() != null ? error.getCause() : error;
    String reason = TlsFailure.reason(cause);
    if (!reason.equals(lastFailure.put(a, reason))) {
      log.info("quarantine proof: no answer from {} ({}); asking again every {} ms", a, reason,
          timedOut ? LATE_PERIOD_MS : PERIOD_MS);
    }
  }

  /** Runs on the owner loop; false when the loop no longer takes tasks (the daemon is closing). */
  private boolean run(Runnable r) {
    if (loop.isShuttingDown()) {
      return false;
    }
    try {
      loop.execute(r);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }
}
