package dev.vigil.sentinel.monitor;

/**
 * What we know of a connection to a node or peer, for failure detection.
 *
 * @param connected the connection is up (and greeted)
 * @param lastPingSentAt when the last PING went out, or -1
 * @param pingPendingSince when the oldest unanswered PING went out, or -1
 * @param lastOkReplyAt the last acceptable PING reply ({@code PONG}, {@code LOADING},
 *     {@code MASTERDOWN}), or when we started watching: a node never heard from is down after
 *     down-after like any other
 * @param lastReplyAt the last reply of any kind, or -1
 */
public record Link(
    boolean connected,
    long lastPingSentAt,
    long pingPendingSince,
    long lastOkReplyAt,
    long lastReplyAt) {

  public static Link watchingSince(long now) {
    return new Link(false, -1, -1, now, -1);
  }

  public Link connected(long now) {
    return new Link(true, lastPingSentAt, -1, lastOkReplyAt, lastReplyAt);
  }

  public Link disconnected(long now) {
    return new Link(false, lastPingSentAt, -1, lastOkReplyAt, lastReplyAt);
  }

  public Link pingSent(long now) {
    return new Link(connected, now, pingPendingSince < 0 ? now : pingPendingSince, lastOkReplyAt,
        lastReplyAt);
  }

  /** A reply to PING; {@code acceptable} for PONG, LOADING and MASTERDOWN (as Sentinel). */
  public Link pingReply(boolean acceptable, long now) {
    return acceptable
        ? new Link(connected, lastPingSentAt, -1, now, now)
        : new Link(connected, lastPingSentAt, pingPendingSince, lastOkReplyAt, now);
  }

  /**
   * The link's silence so far forgiven: the node counts as answering from {@code now}, as Sentinel
   * gives a master it switched to fresh links (sentinelResetMaster). A PING still in flight is
   * answered as usual; if it never is, the next one starts the count from here.
   */
  public Link graceFrom(long now) {
    return new Link(connected, lastPingSentAt, -1, Math.max(lastOkReplyAt, now), lastReplyAt);
  }

  /**
   * How long the PING answered at {@code now} waited, counted from the first one left unanswered;
   * 0 when none was outstanding. Unlike {@link #unavailableFor}, a node answering every PING at
   * once scores near 0 however long the ping period is.
   */
  public long answerWaitedFor(long now) {
    return pingPendingSince >= 0 ? Math.max(0, now - pingPendingSince) : 0;
  }

  /**
   * How long the node has gone without an acceptable reply while we were asking it (or could not
   * reach it); zero while it answers. This is the {@code sdownThreshold} measure: counted from
   * the last valid reply, not from the first unanswered PING as Sentinel does, so a node that
   * hangs right after a reply is detected down-after later, not up to a ping period more.
   */
  public long unavailableFor(long now) {
    return pingPendingSince >= 0 || !connected ? Math.max(0, now - lastOkReplyAt) : 0;
  }

  /**
   * The first time {@link #unavailableFor} exceeds {@code downAfter} if nothing is observed
   * meanwhile, or {@code Long.MAX_VALUE} while the node answers (only a PING sent or a lost
   * connection starts the count, and both are observations).
   */
  public long downAt(long downAfter) {
    return pingPendingSince >= 0 || !connected ? lastOkReplyAt + downAfter + 1 : Long.MAX_VALUE;
  }

  /** Whether a PING is due: one per period, whatever else is outstanding on the connection. */
  public boolean pingDue(long now, long period) {
    return connected && (lastPingSentAt < 0 || now - lastPingSentAt >= period);
  }
}
