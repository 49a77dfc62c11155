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
 */
public record DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups,
    long quarantineUntil) {
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
  }

  public DaemonState(String myId, long currentEpoch, Map<String, GroupRecord> groups) {
    this(myId, currentEpoch, groups, 0);
  }

  public DaemonState withQuarantineUntil(long wallMillis) {
    return new DaemonState(myId, currentEpoch, groups, wallMillis);
  }

  public static String newId() {
    byte[] b = new byte[20];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public DaemonState withCurrentEpoch(long epoch) {
    return epoch <= currentEpoch ? this : new DaemonState(myId, epoch, groups, quarantineUntil);
  }

  public DaemonState withGroup(GroupRecord g) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.put(g.name(), g);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil);
  }

  public DaemonState withoutGroup(String name) {
    Map<String, GroupRecord> m = new LinkedHashMap<>(groups);
    m.remove(name);
    return new DaemonState(myId, currentEpoch, m, quarantineUntil);
  }
}
