package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.HostPort;
import java.util.List;
import java.util.Map;

/**
 * A command a plan sends to the group, asynchronously. {@code slot} names what it acts on (one
 * pod's priority, the group's switchover, ...) and {@code value} what it sets there: the
 * {@link CommandLedger} remembers the last outcome per slot, which the next plan reads.
 */
public sealed interface Command {
  String slot();

  String value();

  /** CONFIG SET on one node. */
  record ConfigSet(String slot, String value, HostPort node, Map<String, String> parameters)
      implements Command {}

  /**
   * Makes a node re-read its certificate files (CONFIG SET of the same paths) until a new
   * connection is shown {@code material}'s certificate.
   */
  record TlsReload(String slot, String value, HostPort node, dev.vigil.operator.master.TlsMaterial material,
      Map<String, String> parameters) implements Command {}

  /** SENTINEL FAILOVER ... COORDINATED through the first daemon that takes it. */
  record Switchover(String value, String masterName, List<HostPort> daemons) implements Command {
    @Override
    public String slot() {
      return "switchover";
    }
  }

  /** SENTINEL RESET on a daemon that still counts removed pods. */
  record ForgetGone(String masterName, List<HostPort> daemons, int expectedDaemons,
      int expectedReplicas) implements Command {
    @Override
    public String slot() {
      return "forget";
    }

    @Override
    public String value() {
      return expectedDaemons + "/" + expectedReplicas;
    }
  }

  /**
   * Asks every daemon whether it sees each of {@code replicas} replicas with replica-priority 0:
   * a daemon reads priorities from its periodic INFO, so a CONFIG SET holds failovers only once
   * every daemon has read it. Done when all do.
   */
  record HoldSeen(String value, String masterName, List<HostPort> daemons, int replicas) implements Command {
    @Override
    public String slot() {
      return "restore-hold-seen";
    }
  }

  /**
   * Asks the master and each replica for their replication state. Done when every replica follows
   * the master with its link up, no sync under way, in the master's current replication history.
   */
  record ResyncDone(String value, HostPort master, List<HostPort> replicas) implements Command {
    @Override
    public String slot() {
      return "restore-resync";
    }
  }
}
