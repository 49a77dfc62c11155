package dev.vigil.sentinel.state;

import dev.vigil.sentinel.config.Address;
import java.util.List;

/**
 * What a daemon must remember about one master group across restarts.
 *
 * @param name the master name
 * @param masterAddress where the master is now (changes with failovers)
 * @param configEpoch the epoch of the failover that produced this master; higher wins everywhere
 * @param leaderEpoch the last epoch this daemon voted in for this group: never vote twice in one
 * @param knownReplicas replicas discovered so far
 * @param knownSentinels peers discovered so far (their number decides the majority)
 */
public record GroupRecord(
    String name,
    Address masterAddress,
    long configEpoch,
    long leaderEpoch,
    List<Address> knownReplicas,
    List<KnownSentinel> knownSentinels) {

  public GroupRecord {
    knownReplicas = List.copyOf(knownReplicas);
    knownSentinels = List.copyOf(knownSentinels);
  }

  public static GroupRecord fresh(String name, Address master) {
    return new GroupRecord(name, master, 0, 0, List.of(), List.of());
  }

  /**
   * A group this daemon starts watching now (SENTINEL MONITOR, or a group with no state yet),
   * whose votes, if it ever watched it before, are forgotten: it votes only in epochs after
   * {@code currentEpoch}. Every vote this daemon gave raised its current epoch to the vote's, so
   * none of them can be given again. Sentinel starts such a group at leader epoch 0, so after
   * REMOVE and MONITOR it can vote a second time in its current epoch (read from sentinel.c's
   * createSentinelRedisInstance and sentinelVoteLeader; no test reproduces it yet).
   */
  public static GroupRecord monitoredAt(String name, Address master, long currentEpoch) {
    return new GroupRecord(name, master, 0, currentEpoch, List.of(), List.of());
  }
}
