package dev.vigil.sentinel.server;

import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.tls.TlsReloader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon as the Sentinel-protocol port sees it: what its commands read and what they ask the
 * daemon to do. The port owns this interface and the daemon implements it, so the dependency
 * points one way (server -> this <- daemon) and the port can be served by anything that does.
 * Reads may come from any client thread; changes to a group complete on that group's loop.
 */
public interface DaemonCommands {
  DaemonConfig config();

  Clock clock();

  String myId();

  /** The global epoch, as persisted. */
  long currentEpoch();

  long uptimeMillis();

  /** The TLS contexts, or null when TLS is off. */
  TlsReloader tls();

  /** Snapshots of every group, in configuration order: one consistent set. */
  List<GroupState> groups();

  /** A snapshot of one group, or null when no group has that name. */
  GroupState group(String name);

  /** True while in TILT (leaving it, if its period has passed). */
  boolean inTilt(long now);

  /** TILT as of {@code now}, for INFO. */
  TiltState tilt(long now);

  /**
   * Until when (this clock's ms) a daemon that started without its state sits out elections and
   * refuses SENTINEL FAILOVER (its fresh-identity quarantine), or -1.
   */
  long abstainUntil();

  /** The periods (SENTINEL DEBUG shows and changes them). */
  Timing timing();

  void timing(Timing t);

  /** SENTINEL CONFIG GET: the values of the parameters it knows. */
  Map<String, String> configValues();

  /**
   * SENTINEL CONFIG SET: all or nothing.
   *
   * @throws IllegalArgumentException naming the first bad parameter or value
   */
  void configSet(Map<String, String> values);

  /** SENTINEL FLUSHCONFIG. */
  void flushConfig();

  /**
   * SENTINEL MONITOR.
   *
   * @throws IllegalArgumentException when a group of that name exists
   */
  void addGroup(MasterSpec spec);

  /** SENTINEL REMOVE: false when there is no such group. */
  boolean removeGroup(String name);

  /** SENTINEL SET, one option: completes once the group applies it. */
  CompletableFuture<Void> updateGroup(MasterSpec spec, String option, String shownValue);

  /** SENTINEL RESET pattern: completes with the number of groups reset. */
  CompletableFuture<Integer> resetGroups(String pattern);

  /** SENTINEL FAILOVER name [COORDINATED]: whether it started, or why not. */
  CompletableFuture<dev.vigil.sentinel.failover.ForceOutcome> forceFailover(String name,
      boolean coordinated);

  /**
   * IS-MASTER-DOWN-BY-ADDR with a run id: the vote of the group watching that master address,
   * completed after the vote is persisted, as {leader or null, leader epoch}.
   */
  CompletableFuture<VoteReply> voteRequest(GroupState group, long epoch, String runId);

  /** A hello a peer published on this port. */
  void helloFromPeer(Hello hello);
}
