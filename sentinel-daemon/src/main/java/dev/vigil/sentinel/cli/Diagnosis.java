package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.failover.Election;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is wrong with a group, each finding with a one-line fix: a pure function of what the
 * daemons said ({@link Snapshot}) and what the nodes said about themselves ({@link NodeProbe}).
 *
 * <p>A {@link Severity#PROBLEM} means a failover is impossible or unsafe right now; a
 * {@link Severity#WARNING} is a risk that a standard deployment may run with (Valkey's default
 * {@code min-replicas-to-write 0}, a lagging replica). Only problems fail {@code vigil diagnose}:
 * a check that fails on every default deployment gets switched off by the people who need it.
 */
final class Diagnosis {
  private Diagnosis() {}

  /** Replication lag (bytes) above which a replica would lose writes if promoted now. */
  static final long LAG_WARN_BYTES = 1 << 20;
  /** A peer silent this long (ms) is a ghost: gone, or unable to reach the nodes. */
  static final long GHOST_HELLO_MS = 30_000;

  enum Severity {
    PROBLEM, WARNING;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record Finding(Severity severity, String check, String message, String fix) {
    boolean problem() {
      return severity == Severity.PROBLEM;
    }
  }

  private static Finding problem(String check, String message, String fix) {
    return new Finding(Severity.PROBLEM, check, message, fix);
  }

  private static Finding warning(String check, String message, String fix) {
    return new Finding(Severity.WARNING, check, message, fix);
  }

  static List<Finding> of(Snapshot s, Map<Address, NodeProbe> nodes) {
    List<Finding> p = new ArrayList<>();
    List<Snapshot.DaemonView> ok = s.reachable();
    Set<String> ghosts = ok.isEmpty() ? Set.of() : ghostDaemons(reference(ok));
    for (Snapshot.DaemonView d : s.daemons()) {
      // A peer the daemons themselves lost is reported once, as a ghost, with the fix for that.
      // One that does not answer is a warning: no-quorum below says when it matters.
      if (!d.ok() && !(d.discovered() && ghosts.contains(d.address().toString()))) {
        p.add(warning("daemon-unreachable", "daemon " + d.address() + " did not answer: " + d.error(),
            "check that it runs and that this host may reach it (and --password)"));
      }
    }
    if (ok.isEmpty()) {
      return p;
    }
    Snapshot.DaemonView ref = reference(ok);
    agreement(s, ok, ref, p);
    Address master = ref.masterAddress();
    String flags = ref.master().getOrDefault("flags", "");
    if (flags.contains("s_down") || flags.contains("o_down")) {
      p.add(problem("master-down", "master " + master + " is " + flags,
          "a failover should follow; see 'vigil status " + s.group() + "'"));
    }
    NodeProbe mp = nodes.get(master);
    if (mp != null && mp.ok() && !"master".equals(mp.role())) {
      p.add(problem("master-not-master", "the daemons' master " + master + " reports role "
          + mp.role(), "wait for the daemons to act, or 'vigil failover " + s.group() + "'"));
    }
    List<Map<String, String>> replicas = ref.replicas();
    if (replicas.isEmpty()) {
      p.add(problem("no-replicas", "the master has no replica: nothing to fail over to",
          "add replicas with 'replicaof " + master.host() + " " + master.port() + "'"));
    } else {
      promotable(s, ref, nodes, p);
    }
    if (mp != null && mp.ok() && mp.minReplicasToWrite() == 0 && !replicas.isEmpty()) {
      p.add(warning("min-replicas-unset", "min-replicas-to-write is 0 on the master: writes "
          + "acknowledged just before a failover can be lost",
          "CONFIG SET min-replicas-to-write 1 (and min-replicas-max-lag 10) on every node"));
    }
    for (Map<String, String> r : replicas) {
      replica(s, master, mp, r, nodes, p);
    }
    for (Map<String, String> peer : ref.sentinels()) {
      long hello = Long.parseLong(peer.getOrDefault("last-hello-message", "0"));
      if (isGhost(peer)) {
        p.add(warning("ghost-daemon", "daemon " + peer.get("ip") + ":" + peer.get("port")
            + " last said hello " + hello / 1000 + " s ago",
            "if it is gone for good: SENTINEL RESET " + s.group() + " on every daemon"));
      }
    }
    return p;
  }

  /** Quorum, daemon count, agreement on the master, TILT. */
  private static void agreement(Snapshot s, List<Snapshot.DaemonView> ok, Snapshot.DaemonView ref,
      List<Finding> p) {
    int known = ok.stream().mapToInt(Snapshot.DaemonView::knownDaemons).max().orElse(1);
    int quorum = ref.quorum();
    long healthy = ok.stream().filter(d -> !d.tilt()).count();
    int majority = Election.majority(known);
    if (healthy < quorum || healthy < majority) {
      p.add(problem("no-quorum", healthy + " of " + known + " daemons reachable and healthy; "
          + "failover needs quorum " + quorum + " and a majority " + majority,
          "start the missing daemons, or SENTINEL RESET " + s.group() + " on each to forget gone ones"));
    }
    if (quorum > known) {
      p.add(problem("quorum-too-high", "quorum " + quorum + " exceeds the " + known + " known daemons",
          "SENTINEL SET " + s.group() + " quorum " + majority));
    }
    if (known % 2 == 0) {
      p.add(warning("even-daemons", known + " daemons: a partition in halves can elect no leader",
          "run an odd number of daemons (3 or 5)"));
    }
    Map<String, List<Snapshot.DaemonView>> views = ok.stream().collect(Collectors.groupingBy(
        d -> d.masterAddress() + " epoch " + d.configEpoch()));
    if (views.size() > 1) {
      p.add(problem("daemons-disagree", "daemons disagree on the master: " + views.entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue().stream().map(d -> d.address().toString())
              .collect(Collectors.joining(", ")) + ")").collect(Collectors.joining("; ")),
          "wait a few seconds for hellos to converge; if it persists, check that the daemons can "
              + "reach each other and the nodes (announce-ip behind NAT)"));
    }
    for (Snapshot.DaemonView d : ok) {
      if (d.tilt()) {
        p.add(problem("tilt", "daemon " + d.address() + " is in TILT mode (its process stalled "
            + "or the clock jumped) and acts on nothing for a while",
            "check the host for CPU starvation, GC pauses or clock changes"));
      }
    }
  }

  /**
   * Whether some replica could be promoted now, judged on what each node says of itself where it
   * answered (a CONFIG SET replica-priority 0 counts at once, not at the daemons' next INFO), and
   * where the daemons' cached view differs from the node, a warning that says so.
   */
  private static void promotable(Snapshot s, Snapshot.DaemonView ref, Map<Address, NodeProbe> nodes,
      List<Finding> p) {
    List<String> why = new ArrayList<>();
    boolean anyFit = false;
    for (Map<String, String> r : ref.replicas()) {
      Address a = Address.parse(r.get("ip"), r.get("port"));
      NodeProbe np = nodes.get(a);
      String viewPriority = r.getOrDefault("slave-priority", "?");
      if (np != null && np.ok() && np.priority() >= 0
          && !Integer.toString(np.priority()).equals(viewPriority)) {
        p.add(warning("stale-view", "the daemons see replica " + a + " with replica-priority "
            + viewPriority + ", the node says " + np.priority(),
            "nothing to do: the daemons re-read it at their next INFO (at most 10 s)"));
      }
      String reason = unfit(ref.masterAddress(), r, np);
      if (reason == null) {
        anyFit = true;
      } else {
        why.add(a + " " + reason);
      }
    }
    if (anyFit) {
      return;
    }
    p.add(problem("no-promotable-replica", "no replica can be promoted now: "
        + String.join("; ", why), "CONFIG SET replica-priority 100 on a replica that replicates"
        + " the master; see 'vigil status " + s.group() + "'"));
  }

  /** Why a replica cannot be promoted now, or null if it can. */
  private static String unfit(Address master, Map<String, String> viewed, NodeProbe np) {
    String flags = viewed.getOrDefault("flags", "");
    if (flags.contains("s_down") || flags.contains("disconnected")) {
      return "is " + flags;
    }
    if (np != null && np.ok()) {
      int priority = np.priority() >= 0 ? np.priority()
          : Integer.parseInt(viewed.getOrDefault("slave-priority", "100"));
      if (priority == 0) {
        return "has replica-priority 0";
      }
      return np.replicating(master) ? null : "does not replicate " + master + " over a link that is up";
    }
    if ("0".equals(viewed.get("slave-priority"))) {
      return "has replica-priority 0";
    }
    return "ok".equals(viewed.get("master-link-status")) ? null : "has no link to the master";
  }

  private static void replica(Snapshot s, Address master, NodeProbe mp, Map<String, String> r,
      Map<Address, NodeProbe> nodes, List<Finding> p) {
    Address a = Address.parse(r.get("ip"), r.get("port"));
    String rflags = r.getOrDefault("flags", "");
    if (rflags.contains("s_down") || rflags.contains("disconnected")) {
      p.add(warning("ghost-replica", "replica " + a + " is " + rflags,
          "if it is gone for good: SENTINEL RESET " + s.group() + " on every daemon"));
      return;
    }
    if (!"ok".equals(r.get("master-link-status"))) {
      p.add(warning("replica-link-down", "replica " + a + " has no link to the master",
          "check the replica's log (auth, network, full sync)"));
    }
    NodeProbe np = nodes.get(a);
    if (np == null) {
      return;
    }
    if (!np.ok()) {
      p.add(warning("replica-unreachable", "the daemons list replica " + a + " but it "
          + "cannot be reached from here: " + np.error(),
          "if the address is wrong, set replica-announce-ip/-port on that node"));
    } else if ("master".equals(np.role())) {
      p.add(problem("rogue-master", a + " claims to be a master, but the daemons' master is "
          + master, "it will be demoted by the daemons; if not: REPLICAOF " + master.host()
          + " " + master.port() + " on it"));
    } else if (np.following() != null && !np.following().equals(master)) {
      p.add(problem("wrong-master", "replica " + a + " follows " + np.following()
          + ", not " + master, "REPLICAOF " + master.host() + " " + master.port() + " on it"));
    } else if (np.announceIp() != null && !np.announceIp().isEmpty()
        && !np.announceIp().equalsIgnoreCase(a.host())) {
      p.add(warning("announce-mismatch", "replica " + a + " announces " + np.announceIp(),
          "make replica-announce-ip match the address the daemons use"));
    }
    if (mp != null && mp.ok() && np.ok() && mp.offset() - np.offset() > LAG_WARN_BYTES) {
      p.add(warning("replication-lag", "replica " + a + " is " + (mp.offset() - np.offset())
          + " bytes behind", "check its network and load; a failover now would lose that much"));
    }
  }

  private static boolean isGhost(Map<String, String> peer) {
    return Long.parseLong(peer.getOrDefault("last-hello-message", "0")) > GHOST_HELLO_MS
        || peer.getOrDefault("flags", "").contains("s_down");
  }

  private static Set<String> ghostDaemons(Snapshot.DaemonView ref) {
    return ref.sentinels().stream().filter(Diagnosis::isGhost)
        .map(peer -> Address.parse(peer.get("ip"), peer.get("port")).toString())
        .collect(Collectors.toSet());
  }

  /** The view most reachable daemons share (ties: the newest configuration). */
  static Snapshot.DaemonView reference(List<Snapshot.DaemonView> ok) {
    Map<String, Integer> count = new HashMap<>();
    ok.forEach(d -> count.merge(d.masterAddress() + "/" + d.configEpoch(), 1, Integer::sum));
    return ok.stream().max((a, b) -> {
      int c = Integer.compare(count.get(a.masterAddress() + "/" + a.configEpoch()),
          count.get(b.masterAddress() + "/" + b.configEpoch()));
      return c != 0 ? c : Long.compare(a.configEpoch(), b.configEpoch());
    }).orElseThrow();
  }
}
