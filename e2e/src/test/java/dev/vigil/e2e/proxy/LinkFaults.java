package dev.vigil.e2e.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults on one link (one source's traffic through one proxy), switchable while connections
 * are open. Fields are volatile: tests change them from their own thread, the proxy's event loop
 * reads them per chunk; {@link FaultProxy#changed()} wakes connections held by a cut.
 */
public final class LinkFaults {
  /** What a cut does to the bytes sent into it. */
  public enum CutMode {
    /**
     * A partition as TCP sees one: bytes are not delivered but stay queued (and reading stops, so
     * the sender's socket buffer fills); no RST, no FIN. On heal they arrive, as retransmissions
     * would. The default.
     */
    HOLD,
    /** Bytes vanish (as if TCP had given up on them); the connection stays open. */
    DISCARD
  }

  volatile boolean cutToTarget;
  volatile boolean cutFromTarget;
  volatile CutMode mode = CutMode.HOLD;
  volatile long latencyMicros;
  volatile long jitterMicros;
  volatile long bytesPerSecond;

  /** Stops delivery both ways. */
  public LinkFaults cut() {
    cutToTarget = true;
    cutFromTarget = true;
    return this;
  }

  /** Stops delivery towards the target only (the target's replies still flow). */
  public LinkFaults cutToTarget() {
    cutToTarget = true;
    return this;
  }

  /** Stops delivery from the target only. */
  public LinkFaults cutFromTarget() {
    cutFromTarget = true;
    return this;
  }

  public LinkFaults mode(CutMode m) {
    mode = m;
    return this;
  }

  /** One-way added delay for each chunk, plus uniform jitter in [0, jitter). Order is kept. */
  public LinkFaults latency(long millis, long jitterMillis) {
    latencyMicros = millis * 1_000;
    jitterMicros = jitterMillis * 1_000;
    return this;
  }

  /** Bandwidth of each direction in bytes per second; 0 is unlimited. */
  public LinkFaults bandwidth(long bytesPerSec) {
    bytesPerSecond = bytesPerSec;
    return this;
  }

  /** Back to a clean link. */
  public LinkFaults heal() {
    cutToTarget = false;
    cutFromTarget = false;
    latencyMicros = 0;
    jitterMicros = 0;
    bytesPerSecond = 0;
    mode = CutMode.HOLD;
    return this;
  }

  boolean isCut(boolean toTarget) {
    return toTarget ? cutToTarget : cutFromTarget;
  }

  long delayNanos() {
    long j = jitterMicros;
    return (latencyMicros + (j > 0 ? ThreadLocalRandom.current().nextLong(j) : 0)) * 1_000;
  }
}
