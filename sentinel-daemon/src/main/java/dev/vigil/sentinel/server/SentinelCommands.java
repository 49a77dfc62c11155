package dev.vigil.sentinel.server;

import static dev.vigil.sentinel.server.Replies.bulk;
import static dev.vigil.sentinel.server.Replies.error;

import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespInteger;
import dev.vigil.resp3.value.RespNull;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleString;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.failover.Election;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code SENTINEL <subcommand>}: the same names (and Valkey's {@code PRIMARY} aliases), arities,
 * reply shapes and error texts as Valkey Sentinel.
 */
final class SentinelCommands {
  private final DaemonCommands daemon;

  SentinelCommands(DaemonCommands daemon) {
    this.daemon = daemon;
  }

  /** Runs a subcommand; changes to a group complete on its loop, so the reply may come later. */
  CompletableFuture<RespValue> execute(List<String> args) {
    if (args.size() >= 2) {
      String sub = args.get(1).toLowerCase(Locale.ROOT);
      if (sub.equals("set")) {
        return set(args);
      }
      if (sub.equals("is-master-down-by-addr") || sub.equals("is-primary-down-by-addr")) {
        return isMasterDownByAddr(args);
      }
      if (sub.equals("failover")) {
        return failover(args);
      }
      if (sub.equals("reset")) {
        if (args.size() != 3) {
          return CompletableFuture.completedFuture(arity("sentinel|reset"));
        }
        for (GroupState g : daemon.groups()) {
          if (Glob.matches(args.get(2), g.name()) && g.promotionUnderWay()) {
            return CompletableFuture.completedFuture(promotionInProgress(g));
          }
        }
        return daemon.resetGroups(args.get(2)).thenApply(RespInteger::of);
      }
    }
    return CompletableFuture.completedFuture(executeNow(args));
  }

  /**
   * RESET or REMOVE would drop a failover half done (Sentinel's do), leaving nodes that follow
   * neither the old master nor any daemon's configuration: the simulation found two replicas
   * replicating each other, unknown to every daemon for good (seed 7590 with operators). Refused
   * until it ends, within the failover-timeout.
   */
  private static RespValue promotionInProgress(GroupState g) {
    return error("INPROG this daemon is failing over " + g.name() + "; RESET and REMOVE would "
        + "drop the failover half done: retry once it ends (failover-timeout at most)");
  }

  private RespValue executeNow(List<String> args) {
    if (args.size() < 2) {
      return arity("sentinel");
    }
    String sub = args.get(1).toLowerCase(Locale.ROOT);
    long now = daemon.clock().millis();
    switch (sub) {
      case "masters", "primaries" -> {
        if (args.size() != 2) {
          return arity("sentinel|" + sub);
        }
        List<RespValue> out = new ArrayList<>();
        daemon.groups().forEach(g -> out.add(InstanceReplies.master(g, now)));
        return new RespArray(out);
      }
      case "master", "primary" -> {
        if (args.size() != 3) {
          return arity("sentinel|" + sub);
        }
        GroupState g = daemon.group(args.get(2));
        return g == null ? noSuchMaster() : InstanceReplies.master(g, now);
      }
      case "replicas", "slaves" -> {
        if (args.size() != 3) {
          return arity("sentinel|" + sub);
        }
        GroupState g = daemon.group(args.get(2));
        if (g == null) {
          return noSuchMaster();
        }
        List<RespValue> out = new ArrayList<>();
        for (NodeState r : g.replicas().values()) {
          if (r.info() == null || r.info().announced()) {
            out.add(InstanceReplies.replica(g, r, now));
          }
        }
        return new RespArray(out);
      }
      case "sentinels" -> {
        if (args.size() != 3) {
          return arity("sentinel|" + sub);
        }
        GroupState g = daemon.group(args.get(2));
        if (g == null) {
          return noSuchMaster();
        }
        List<RespValue> out = new ArrayList<>();
        for (PeerState p : g.peers().values()) {
          out.add(InstanceReplies.sentinel(g, p, now));
        }
        return new RespArray(out);
      }
      case "get-master-addr-by-name", "get-primary-addr-by-name" -> {
        if (args.size() != 3) {
          return arity("sentinel|" + sub);
        }
        GroupState g = daemon.group(args.get(2));
        if (g == null) {
          return RespNull.NULL_ARRAY;
        }
        return RespArray.of(bulk(g.masterAddress().host()), bulk(g.masterAddress().port()));
      }
      case "myid" -> {
        return args.size() != 2 ? arity("sentinel|myid") : bulk(daemon.myId());
      }
      case "vigil-epoch" -> {
        // Vigil's own: what a peer that lost its state asks every configured daemon before it
        // ends its fresh-identity quarantine early (QuarantineProof). The run id lets a daemon
        // that reached its own port tell its own answer apart.
        // The third element, every peer address it knows, lets the asker notice a daemon its
        // own list lacks (a list read before a scale-out) and wait for that one's answer too.
        if (args.size() != 2) {
          return arity("sentinel|vigil-epoch");
        }
        java.util.Set<String> known = new java.util.TreeSet<>();
        daemon.groups().forEach(g -> g.peers().values().forEach(p -> known.add(p.address().toString())));
        return RespArray.of(bulk(daemon.myId()), RespInteger.of(daemon.currentEpoch()),
            new RespArray(known.stream().map(a -> (RespValue) bulk(a)).toList()));
      }
      case "ckquorum" -> {
        if (args.size() != 3) {
          return arity("sentinel|ckquorum");
        }
        GroupState g = daemon.group(args.get(2));
        return g == null ? noSuchMaster() : ckquorum(g);
      }
      case "monitor" -> {
        return monitor(args);
      }
      case "remove" -> {
        if (args.size() != 3) {
          return arity("sentinel|remove");
        }
        GroupState g = daemon.group(args.get(2));
        if (g != null && g.promotionUnderWay()) {
          return promotionInProgress(g);
        }
        return daemon.removeGroup(args.get(2)) ? Replies.OK : noSuchMaster();
      }
      case "flushconfig" -> {
        if (args.size() != 2) {
          return arity("sentinel|flushconfig");
        }
        try {
          daemon.flushConfig();
          return Replies.OK;
        } catch (RuntimeException e) {
          return error("ERR Failed to save config file. Check server logs.");
        }
      }
      case "config" -> {
        return config(args);
      }
      case "info-cache" -> {
        return infoCache(args, now);
      }
      case "debug" -> {
        return debug(args);
      }
      case "pending-scripts" -> {
        return new RespArray(List.of());
      }
      case "simulate-failure" -> {
        return args.size() < 3 ? arity("sentinel|simulate-failure")
            : error("ERR Unknown failure simulation specified");
      }
      case "help" -> {
        return Replies.bulkArray(List.of(
            "SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "MASTERS", "MASTER <name>", "REPLICAS <name>", "SENTINELS <name>",
            "GET-MASTER-ADDR-BY-NAME <name>", "MYID", "CKQUORUM <name>",
            "MONITOR <name> <ip> <port> <quorum>", "REMOVE <name>",
            "SET <name> <option> <value> [<option> <value> ...]", "RESET <pattern>",
            "FLUSHCONFIG", "CONFIG GET <param> | CONFIG SET <param> <value>",
            "INFO-CACHE <name> [<name> ...]",
            "IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
            "DEBUG [<param> <value> ...]",
            "VIGIL-EPOCH (Vigil: [run id, current epoch, known peers], for a peer's quarantine proof)",
            "HELP"));
      }
      default -> {
        return error("ERR unknown subcommand '" + args.get(1)
            + "'. Try SENTINEL HELP.");
      }
    }
  }

  private CompletableFuture<RespValue> isMasterDownByAddr(List<String> args) {
    if (args.size() != 6) {
      return CompletableFuture.completedFuture(arity("sentinel|" + args.get(1).toLowerCase(Locale.ROOT)));
    }
    int port;
    long epoch;
    try {
      port = Integer.parseInt(args.get(3));
      epoch = Long.parseLong(args.get(4));
    } catch (NumberFormatException e) {
      return CompletableFuture.completedFuture(error("ERR value is not an integer or out of range"));
    }
    GroupState found = null;
    for (GroupState g : daemon.groups()) {
      Address a = g.masterAddress();
      if (a.port() == port && a.host().equalsIgnoreCase(args.get(2))) {
        found = g;
        break;
      }
    }
    // In TILT our view is stale: never report a master down (as Sentinel), but still vote.
    boolean down = found != null && found.master().sdown() && !daemon.inTilt(daemon.clock().millis());
    String runId = args.get(5);
    if (found == null || runId.equals("*")) {
      return CompletableFuture.completedFuture(
          RespArray.of(RespInteger.of(down ? 1 : 0), bulk("*"), RespInteger.of(0)));
    }
    // A vote request: decided and persisted on the group's loop before we answer.
    return daemon.voteRequest(found, epoch, runId).thenApply(v -> RespArray.of(
        RespInteger.of(down ? 1 : 0), bulk(v.leader() == null ? "*" : v.leader()),
        RespInteger.of(v.leaderEpoch())));
  }

  private CompletableFuture<RespValue> failover(List<String> args) {
    if (args.size() != 3 && args.size() != 4) {
      return CompletableFuture.completedFuture(arity("sentinel|failover"));
    }
    boolean coordinated = args.size() == 4;
    if (coordinated && !args.get(3).equalsIgnoreCase("coordinated")) {
      return CompletableFuture.completedFuture(error("ERR Unknown failover option specified"));
    }
    GroupState g = daemon.group(args.get(2));
    if (g == null) {
      return CompletableFuture.completedFuture(noSuchMaster());
    }
    if (g.agreement().failover() != null) {
      return CompletableFuture.completedFuture(error("INPROG Failover already in progress"));
    }
    if (dev.vigil.sentinel.failover.ReplicaSelection.choose(g, daemon.clock().millis(),
        daemon.timing()).isEmpty()) {
      return CompletableFuture.completedFuture(error("NOGOODSLAVE No suitable replica to promote"));
    }
    if (coordinated && (g.master().sdown() || !g.master().link().connected())) {
      return CompletableFuture.completedFuture(error("NOGOODPRIMARY the master is not reachable:"
          + " a coordinated failover needs it (SENTINEL FAILOVER without COORDINATED does not)"));
    }
    int usable = usableDaemons(g);
    int voters = Election.voters(g.peers().size(), g.spec().quorum());
    if (usable < Election.majority(voters)) {
      // It would only time out waiting for votes (see FailoverCore.force): say so now.
      return CompletableFuture.completedFuture(error("NOQUORUM " + usable + " of " + voters
          + " daemons reachable; a failover, forced too, needs the votes of a majority ("
          + Election.majority(voters) + ")"));
    }
    return daemon.forceFailover(g.name(), coordinated).thenApply(outcome -> switch (outcome) {
      case STARTED -> Replies.OK;
      case IN_PROGRESS -> error("INPROG Failover already in progress");
      case QUARANTINED -> error("NOTREADY this daemon started without its state and takes part in"
          + " no election until its fresh-identity quarantine ends (seconds)");
      case NO_SUCH_GROUP -> noSuchMaster();
    });
  }

  /** This daemon and the peers it does not consider down: who can vote now. */
  private static int usableDaemons(GroupState g) {
    return 1 + (int) g.peers().values().stream().filter(p -> !p.sdown()).count();
  }

  private RespValue ckquorum(GroupState g) {
    int usable = usableDaemons(g);
    int voters = g.peers().size() + 1;
    int majority = Election.majority(voters);
    List<String> problems = new ArrayList<>();
    if (usable < g.spec().quorum()) {
      problems.add("Not enough available Sentinels to reach the specified quorum for this master");
    }
    if (usable < majority) {
      problems.add("Not enough available Sentinels to reach the majority and authorize a failover");
    }
    if (problems.isEmpty()) {
      return SimpleString.of("OK " + usable
          + " usable Sentinels. Quorum and failover authorization can be reached");
    }
    return error("NOQUORUM " + usable + " usable Sentinels. " + String.join(". ", problems));
  }

  private RespValue monitor(List<String> args) {
    if (args.size() != 6) {
      return arity("sentinel|monitor");
    }
    int quorum;
    try {
      quorum = Integer.parseInt(args.get(5));
    } catch (NumberFormatException e) {
      return error("ERR Invalid quorum");
    }
    if (quorum <= 0) {
      return error("ERR Quorum must be 1 or greater.");
    }
    int port;
    try {
      port = Integer.parseInt(args.get(4));
      if (port <= 0 || port > 65535) {
        return error("ERR Invalid port");
      }
    } catch (NumberFormatException e) {
      return error("ERR Invalid port");
    }
    String host = args.get(3);
    if (!daemon.config().resolveHostnames() && !new Address(host, port).isIpLiteral()) {
      return error("ERR Invalid IP address or hostname specified");
    }
    if (daemon.group(args.get(2)) != null) {
      return error("ERR Duplicate master name.");
    }
    try {
      daemon.addGroup(MasterSpec.of(args.get(2), new Address(host, port), quorum));
    } catch (IllegalArgumentException e) {
      return error("ERR " + e.getMessage());
    }
    return Replies.OK;
  }

  private CompletableFuture<RespValue> set(List<String> args) {
    if (args.size() < 5 || args.size() % 2 == 0) {
      return CompletableFuture.completedFuture(arity("sentinel|set"));
    }
    GroupState g = daemon.group(args.get(2));
    if (g == null) {
      return CompletableFuture.completedFuture(noSuchMaster());
    }
    CompletableFuture<Void> applied = CompletableFuture.completedFuture(null);
    MasterSpec spec = g.spec();
    for (int i = 3; i < args.size(); i += 2) {
      String option = args.get(i).toLowerCase(Locale.ROOT);
      String value = args.get(i + 1);
      switch (option) {
        case "down-after-milliseconds", "failover-timeout", "parallel-syncs", "quorum",
            "auth-pass", "auth-user" -> {
          try {
            spec = dev.vigil.sentinel.config.SentinelConf.applyOption(spec, option, value);
          } catch (IllegalArgumentException e) {
            return applied.thenApply(x -> error(
                "ERR Invalid argument '" + value + "' for SENTINEL SET '" + option + "'"));
          }
        }
        default -> {
          return applied.thenApply(x -> error(
              "ERR Unknown option or number of arguments for SENTINEL SET '" + option + "'"));
        }
      }
      // As Sentinel, options before a bad one stay applied.
      applied = daemon.updateGroup(spec, option, option.equals("auth-pass") ? "******" : value);
    }
    return applied.thenApply(x -> Replies.OK);
  }

  private static final List<String> CONFIG_PARAMS = List.of("resolve-hostnames",
      "announce-hostnames", "announce-ip", "announce-port", "sentinel-user", "sentinel-pass",
      "loglevel");

  private RespValue config(List<String> args) {
    if (args.size() < 3) {
      return arity("sentinel|config");
    }
    String op = args.get(2).toLowerCase(Locale.ROOT);
    if (op.equals("get")) {
      if (args.size() < 4) {
        return arity("sentinel|config|get");
      }
      Map<String, String> values = daemon.configValues();
      Map<String, String> out = new LinkedHashMap<>();
      for (String pattern : args.subList(3, args.size())) {
        for (String p : CONFIG_PARAMS) {
          if (PubSubHub.matches(pattern.toLowerCase(Locale.ROOT), p)) {
            out.put(p, values.getOrDefault(p, ""));
          }
        }
      }
      List<Object> kv = new ArrayList<>();
      out.forEach((k, v) -> {
        kv.add(k);
        kv.add(v);
      });
      return Replies.bulkMap(kv);
    }
    if (op.equals("set")) {
      if (args.size() < 5 || args.size() % 2 == 0) {
        return arity("sentinel|config|set");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 3; i < args.size(); i += 2) {
        String p = args.get(i).toLowerCase(Locale.ROOT);
        if (!CONFIG_PARAMS.contains(p)) {
          return error("ERR Invalid argument '" + args.get(i) + "' to SENTINEL CONFIG SET");
        }
        if (values.put(p, args.get(i + 1)) != null) {
          return error("ERR Duplicate argument '" + args.get(i) + "' to SENTINEL CONFIG SET");
        }
      }
      try {
        daemon.configSet(values);
      } catch (IllegalArgumentException e) {
        String bad = values.keySet().stream().filter(k -> {
          try {
            daemon.config().with(k, values.get(k));
            return false;
          } catch (IllegalArgumentException ex) {
            return true;
          }
        }).findFirst().orElse("?");
        return error("ERR Invalid value '" + values.get(bad) + "' to SENTINEL CONFIG SET '" + bad + "'");
      }
      return Replies.OK;
    }
    return error("ERR unknown subcommand '" + args.get(2) + "'. Try SENTINEL HELP.");
  }

  private RespValue infoCache(List<String> args, long now) {
    if (args.size() < 3) {
      return arity("sentinel|info-cache");
    }
    List<RespValue> out = new ArrayList<>();
    for (String name : args.subList(2, args.size())) {
      GroupState g = daemon.group(name);
      if (g == null) {
        continue;
      }
      List<RespValue> nodes = new ArrayList<>();
      List<NodeState> all = new ArrayList<>();
      all.add(g.master());
      all.addAll(g.replicas().values());
      for (NodeState n : all) {
        nodes.add(RespArray.of(RespInteger.of(n.infoAt() < 0 ? 0 : now - n.infoAt()),
            n.info() == null || n.info().raw() == null ? RespNull.NULL_BULK : bulk(n.info().raw())));
      }
      out.add(bulk(name));
      out.add(new RespArray(nodes));
    }
    return new RespArray(out);
  }

  private static final Map<String, String> DEBUG_NAMES = Map.of(
      "info-period", "info-period",
      "ping-period", "ping-period",
      "ask-period", "ask-period",
      "publish-period", "publish-period",
      "tilt-trigger", "tilt-trigger",
      "tilt-period", "tilt-period");

  /*
   * Shown by SENTINEL DEBUG for tools that read every field, with Sentinel's values: Vigil runs no
   * scripts, and its links reconnect with their own back-off (reference.conf), not this period.
   */
  private static final long SENTINEL_MIN_LINK_RECONNECT_MS = 15_000;
  private static final long SENTINEL_SCRIPT_MAX_RUNTIME_MS = 60_000;
  private static final long SENTINEL_SCRIPT_RETRY_DELAY_MS = 30_000;

  private RespValue debug(List<String> args) {
    Timing t = daemon.timing();
    dev.vigil.sentinel.config.FailoverTuning failover = daemon.config().failover();
    if (args.size() == 2) {
      List<Object> kv = new ArrayList<>(List.of(
          "INFO-PERIOD", t.infoPeriod().toMillis(),
          "PING-PERIOD", t.pingPeriod().toMillis(),
          "ASK-PERIOD", t.askPeriod().toMillis(),
          "PUBLISH-PERIOD", t.publishPeriod().toMillis(),
          "DEFAULT-DOWN-AFTER", MasterSpec.DEFAULT_DOWN_AFTER.toMillis(),
          "DEFAULT-FAILOVER-TIMEOUT", MasterSpec.DEFAULT_FAILOVER_TIMEOUT.toMillis(),
          "TILT-TRIGGER", t.tiltTrigger().toMillis(),
          "TILT-PERIOD", t.tiltPeriod().toMillis(),
          "SLAVE-RECONF-TIMEOUT", failover.reconfSentTimeoutMs(),
          "MIN-LINK-RECONNECT-PERIOD", SENTINEL_MIN_LINK_RECONNECT_MS,
          "ELECTION-TIMEOUT", failover.electionTimeoutMs(),
          "SCRIPT-MAX-RUNTIME", SENTINEL_SCRIPT_MAX_RUNTIME_MS,
          "SCRIPT-RETRY-DELAY", SENTINEL_SCRIPT_RETRY_DELAY_MS));
      return Replies.bulkMap(kv);
    }
    if (args.size() % 2 != 0) {
      return arity("sentinel|debug");
    }
    for (int i = 2; i < args.size(); i += 2) {
      String name = args.get(i).toLowerCase(Locale.ROOT);
      long value;
      try {
        value = Long.parseLong(args.get(i + 1));
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (value <= 0) {
        return error("ERR Invalid argument '" + args.get(i + 1) + "' for SENTINEL DEBUG '" + name + "'");
      }
      String key = DEBUG_NAMES.get(name);
      if (key == null) {
        return error("ERR Unknown option or number of arguments for SENTINEL DEBUG '" + name + "'");
      }
      t = t.with(key, Duration.ofMillis(value));
      if (key.equals("info-period")) {
        t = t.with("fast-info-period", Duration.ofMillis(Math.min(value, t.fastInfoPeriod().toMillis())));
      }
    }
    daemon.timing(t);
    return Replies.OK;
  }

  private static RespValue arity(String command) {
    return error("ERR wrong number of arguments for '" + command + "' command");
  }

  private static RespValue noSuchMaster() {
    return error("ERR No such master with that name");
  }
}
