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
 * @param voteFloor the highest epoch this identity never votes in: set when its quarantine ended
 *     early on every configured peer's answer (QuarantineProof), 0 otherwise
 */
public record DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
    long quarantineUntil, long voteFloor) {
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
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
      long quarantineUntil) {
    this(myId, currentEpoch, groups, quarantineUntil, 0);
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups) {
    this(myId, currentEpoch, groups, 0, 0);
  }

  public DaemonState withQuarantineUntil(long wallMillis) {
    return new DaemonState(myId, currentEpoch, groups, wallMillis, voteFloor);
  }

  /**
   * The quarantine's early end: never vote in an epoch up to {@code floor}, the current epoch at
   * least that high, and the recorded quarantine end now (a restart must not start it again).
   */
  public DaemonState withQuarantineProven(long floor, long wallNow) {
    return withVoteFloor(floor).withQuarantineUntil(Math.min(quarantineUntil, wallNow));
  }

  /**
   * Never vote in an epoch up to {@code floor}, the current epoch at least that high: what one
   * peer's answer to the quarantine's query proves on its own (QuarantineProof.partialFloor).
   */
  public DaemonState withVoteFloor(long floor) {
    return new DaemonState(myId, Math.max(currentEpoch, floor), groups, quarantineUntil,
        Math.max(voteFloor, floor));
  }

  public static String newId() {
    byte[] b = new byte[20];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public DaemonState withCurrentEpoch(long epoch) {
    return epoch <= currentEpoch ? this : new DaemonState(myId, epoch, groups, quarantineUntil, voteFloor);
  }

  public DaemonState withGroup(GroupRecord g) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.put(g.name(), g);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil, voteFloor);
  }

  public DaemonState withoutGroup(String name) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.remove(name);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil, voteFloor);
  }
}
