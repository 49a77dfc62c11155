package dev.vigil.sentinel.config;

import dev.vigil.sentinel.state.DaemonState;
import dev.vigil.sentinel.state.GroupRecord;
import dev.vigil.sentinel.state.KnownSentinel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State as sentinel.conf directives, read and written. The same lines serve Valkey Sentinel's own
 * files (so a sentinel.conf's state carries over) and Vigil's state file, which adds
 * {@code sentinel master-address} because its HOCON configuration is never rewritten.
 */
public final class StateLines {
  /** Directive names that carry state, not configuration. */
  public static final Set<String> NAMES = Set.of("sentinel myid", "sentinel current-epoch",
      "sentinel config-epoch", "sentinel leader-epoch", "sentinel known-replica",
      "sentinel known-slave", "sentinel known-sentinel", "sentinel master-address",
      "sentinel vigil-quarantine-until", "sentinel vigil-vote-floor",
      "sentinel vigil-proof-until");

  private StateLines() {}

  /** Whether the directives carry the daemon's identity, i.e. state from an earlier run. */
  public static boolean hasIdentity(List<Directive> directives) {
    return directives.stream().anyMatch(d -> d.name().equals("sentinel myid"));
  }

  /**
   * Builds the state from state directives, for the given groups (name → configured address).
   * A group the directives do not mention starts fresh; directives about unknown groups are
   * ignored with a warning.
   */
  public static DaemonState read(String source, List<Directive> directives,
      Map<String, Address> groups, List<String> warnings) {
    String myId = null;
    long epoch = 0;
    long quarantineUntil = 0;
    long voteFloor = 0;
    long proofUntil = 0;
    Map<String, Address> master = new LinkedHashMap<>(groups);
    Map<String, long[]> epochs = new LinkedHashMap<>();
    Map<String, List<Address>> replicas = new LinkedHashMap<>();
    Map<String, List<KnownSentinel>> sentinels = new LinkedHashMap<>();
    groups.keySet().forEach(g -> {
      // No leader-epoch line: a group added since the state was written (see below).
      epochs.put(g, new long[] {0, -1});
      replicas.put(g, new ArrayList<>());
      sentinels.put(g, new ArrayList<>());
    });
    for (Directive d : directives) {
      if (!NAMES.contains(d.name())) {
        continue;
      }
      String where = source + ":" + d.line() + ": ";
      try {
        switch (d.name()) {
          case "sentinel myid" -> {
            myId = d.arg(0).toLowerCase(java.util.Locale.ROOT);
            if (!myId.matches("[0-9a-f]{40}")) {
              throw new ConfigException(where + "Malformed Sentinel id in myid option.");
            }
          }
          case "sentinel current-epoch" -> epoch = Math.max(epoch, nonNegative(d.arg(0)));
          case "sentinel vigil-quarantine-until" -> quarantineUntil = nonNegative(d.arg(0));
          case "sentinel vigil-vote-floor" -> voteFloor = nonNegative(d.arg(0));
          case "sentinel vigil-proof-until" -> proofUntil = nonNegative(d.arg(0));
          default -> {
            String group = d.arg(0);
            if (!groups.containsKey(group)) {
              warnings.add(where + "state for unknown master '" + group + "' ignored");
              continue;
            }
            switch (d.name()) {
              case "sentinel master-address" -> master.put(group, Address.parse(d.arg(1), d.arg(2)));
              case "sentinel config-epoch" -> epochs.get(group)[0] = nonNegative(d.arg(1));
              case "sentinel leader-epoch" -> epochs.get(group)[1] = nonNegative(d.arg(1));
              case "sentinel known-replica", "sentinel known-slave" ->
                  addOnce(replicas.get(group), Address.parse(d.arg(1), d.arg(2)));
              case "sentinel known-sentinel" -> {
                if (d.argCount() < 4) {
                  warnings.add(where + "known-sentinel without a run id ignored");
                } else {
                  sentinels.get(group).add(
                      new KnownSentinel(Address.parse(d.arg(1), d.arg(2)), d.arg(3)));
                }
              }
              default -> throw new IllegalStateException(d.name());
            }
          }
        }
      } catch (IndexOutOfBoundsException e) {
        throw new ConfigException(where + "wrong number of arguments for '" + d.name() + "'");
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + e.getMessage());
      }
    }
    long currentEpoch = Math.max(epoch, voteFloor);
    Map<String, GroupRecord> records = new LinkedHashMap<>();
    for (String g : groups.keySet()) {
      long[] e = epochs.get(g);
      // A group without its leader epoch may have been watched (and voted in) before under this
      // identity, its lines since removed: it votes only after the current epoch
      // (GroupRecord.monitoredAt).
      long leaderEpoch = e[1] >= 0 ? e[1] : currentEpoch;
      records.put(g, new GroupRecord(g, master.get(g), e[0], leaderEpoch, replicas.get(g),
          sentinels.get(g)));
    }
    return new DaemonState(myId == null ? DaemonState.newId() : myId, currentEpoch,
        records, quarantineUntil, voteFloor, proofUntil);
  }

  /**
   * The state as directive lines. {@code withMasterAddress} adds the current master addresses
   * (needed in Vigil's state file, implied by the monitor lines in a sentinel.conf).
   */
  public static List<String> write(DaemonState state, boolean withMasterAddress) {
    List<String> out = new ArrayList<>();
    out.add("sentinel myid " + state.myId());
    out.add("sentinel current-epoch " + state.currentEpoch());
    if (state.quarantineUntil() > 0) {
      // Vigil's own line (Sentinel has no quarantine): the fresh identity's quarantine end, in
      // wall-clock milliseconds, so that a restart within it does not end it early.
      out.add("sentinel vigil-quarantine-until " + state.quarantineUntil());
    }
    if (state.voteFloor() > 0) {
      // Vigil's own line: the epochs up to this one are never voted in by this identity (its
      // quarantine ended early on every configured peer's epoch: QuarantineProof).
      out.add("sentinel vigil-vote-floor " + state.voteFloor());
    }
    if (state.proofUntil() > 0) {
      // Vigil's own line: until then (wall-clock ms) this fresh identity still asks the
      // configured peers that have not answered, a restart included (QuarantineProber).
      out.add("sentinel vigil-proof-until " + state.proofUntil());
    }
    for (GroupRecord g : state.groups().values()) {
      String name = quote(g.name());
      if (withMasterAddress) {
        out.add("sentinel master-address " + name + " " + g.masterAddress().host() + " "
            + g.masterAddress().port());
      }
      out.add("sentinel config-epoch " + name + " " + g.configEpoch());
      out.add("sentinel leader-epoch " + name + " " + g.leaderEpoch());
      for (Address r : g.knownReplicas()) {
        out.add("sentinel known-replica " + name + " " + r.host() + " " + r.port());
      }
      for (KnownSentinel s : g.knownSentinels()) {
        out.add("sentinel known-sentinel " + name + " " + s.address().host() + " "
            + s.address().port() + " " + s.runId());
      }
    }
    return out;
  }

  /** Quotes an argument for a config line when it needs quoting. */
  public static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_.:@/+=-]+") ? arg : "\"" + arg.replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\"";
  }

  private static long nonNegative(String s) {
    try {
      long v = Long.parseLong(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("expected a non-negative integer, got '" + s + "'");
  }

  private static void addOnce(List<Address> list, Address a) {
    if (list.contains(a)) {
      throw new IllegalArgumentException("Duplicate hostname and port for replica.");
    }
    list.add(a);
  }
}
