package dev.vigil.sentinel.state;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's persistent state: its identity, the global epoch, and a record per group. The
 * epoch never goes backwards: {@link #withCurrentEpoch} refuses to lower it.
 *
 * @param quarantineUntil wall-clock milliseconds until which this identity, created without
 *     earlier state, sits out elections (the fresh-identity quarantine), or 0: recorded so that
 *     a restart within it keeps it
 * @param voteFloor the highest epoch this identity never votes in: raised by each configured
 *     peer's answer to the quarantine's query (QuarantineProof), 0 otherwise
 * @param proofUntil wall-clock milliseconds until which this identity, created without earlier
 *     state, asks the configured peers that have not answered yet for their epoch, or 0 (none
 *     configured, or every one has answered): recorded so that a restart keeps asking
 */
public record DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
    long quarantineUntil, long voteFloor, long proofUntil) {
  public DaemonState {
    if (myId == null || !myId.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("myid must be 40 lower-case hex characters: " + myId);
    }
    if (currentEpoch < 0) {
      throw new IllegalArgumentException("negative current-epoch " + currentEpoch);
    }
    groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    if (quarantineUntil < 0) {
      throw new IllegalArgumentException("negative quarantine end " + quarantineUntil);
    }
    if (voteFloor < 0) {
      throw new IllegalArgumentException("negative vote floor " + voteFloor);
    }
    if (proofUntil < 0) {
      throw new IllegalArgumentException("negative proof end " + proofUntil);
    }
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
      long quarantineUntil, long voteFloor) {
    this(myId, currentEpoch, groups, quarantineUntil, voteFloor, 0);
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
      long quarantineUntil) {
    this(myId, currentEpoch, groups, quarantineUntil, 0);
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups) {
    this(myId, currentEpoch, groups, 0, 0);
  }

  public DaemonState withQuarantineUntil(long wallMillis) {
    return new DaemonState(myId, currentEpoch, groups, wallMillis, voteFloor, proofUntil);
  }

  /** Asks the peers that have not answered until {@code wallMillis}; 0: asks no more. */
  public DaemonState withProofUntil(long wallMillis) {
    return new DaemonState(myId, currentEpoch, groups, quarantineUntil, voteFloor, wallMillis);
  }

  /**
   * The quarantine's early end: never vote in an epoch up to {@code floor}, the current epoch at
   * least that high, and the recorded quarantine end now (a restart must not start it again).
   */
  public DaemonState withQuarantineProven(long floor, long wallNow) {
    return withVoteFloor(floor).withQuarantineUntil(Math.min(quarantineUntil, wallNow))
        .withProofUntil(0);
  }

  /**
   * Never vote in an epoch up to {@code floor}, the current epoch at least that high: what one
   * peer's answer to the quarantine's query proves on its own (QuarantineProof.partialFloor).
   */
  public DaemonState withVoteFloor(long floor) {
    return new DaemonState(myId, Math.max(currentEpoch, floor), groups, quarantineUntil,
        Math.max(voteFloor, floor), proofUntil);
  }

  public static String newId() {
    byte[] b = new byte[20];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public DaemonState withCurrentEpoch(long epoch) {
    return epoch <= currentEpoch ? this : new DaemonState(myId, epoch, groups, quarantineUntil, voteFloor,
        proofUntil);
  }

  public DaemonState withGroup(GroupRecord g) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.put(g.name(), g);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil, voteFloor, proofUntil);
  }

  public DaemonState withoutGroup(String name) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.remove(name);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil, voteFloor, proofUntil);
  }
}
