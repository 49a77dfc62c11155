package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/** What a decision asks the I/O shell to do. */
public sealed interface Effect {
  /** Publish and log an event. */
  record Emit(SentinelEvent event) implements Effect {}

  /** Open a link to a node or peer. */
  record Connect(Address address, boolean peer) implements Effect {}

  /** Close the link to an address that is no longer watched. */
  record Disconnect(Address address) implements Effect {}

  /**
   * Write state to disk before anything that depends on it is answered or sent (the effects after
   * it in the same transition: a candidate's own vote before its vote requests).
   */
  record Persist() implements Effect {}

  /**
   * Write state soon, with no reply depending on it (a replica or peer discovered or forgotten):
   * deferred and coalesced with other changes, never reordered after a later {@link Persist}.
   */
  record PersistLater() implements Effect {}

  /** A hello carried a higher global epoch: raise ours (never lower it). */
  record AdoptEpoch(long epoch) implements Effect {}

  /**
   * Ask every peer IS-MASTER-DOWN-BY-ADDR in {@code epoch}; with our run id when we want its
   * vote, and then in our failover's epoch, the only one whose votes we count.
   */
  record AskPeers(boolean requestVote, long epoch) implements Effect {}

  /** REPLICAOF NO ONE on the chosen replica, the way Sentinel does it (one transaction). */
  record Promote(Address replica) implements Effect {}

  /**
   * REPLICAOF {@code master} on {@code node} (re-pointing or demoting), in one transaction;
   * {@code unpause} adds CLIENT UNPAUSE after it, for a demoted master that may be fenced: a
   * write-paused replica would hold back its own replication stream from the new master.
   */
  record ReplicaOf(Address node, Address master, boolean unpause) implements Effect {
    public ReplicaOf(Address node, Address master) {
      this(node, master, false);
    }
  }

  /**
   * CLIENT PAUSE {@code pauseMs} WRITE on a master being replaced: from the moment it answers
   * again it confirms no write (WAIT included) that the promoted replica would never get. The
   * pause ends by itself, so a fence outlives no failover even if no daemon lifts it.
   */
  record Fence(Address node, long pauseMs) implements Effect {}

  /** CLIENT UNPAUSE on a fenced master whose replacement failed: it stays the master. */
  record Unfence(Address node) implements Effect {}

  /**
   * A planned switchover: {@code FAILOVER TO target} on the master, which pauses writes, waits
   * until the target has every one of them, then swaps roles with it.
   */
  record HandOver(Address master, Address target, long timeoutMs) implements Effect {}

  /** CONFIG REWRITE and CLIENT KILL of normal and pub/sub clients: make clients re-resolve. */
  record DisconnectClients(Address node) implements Effect {}

  /** Publish hellos now rather than at the next period (a new configuration to spread). */
  record PublishHelloNow() implements Effect {}

  /** Poll a node's INFO at once (to confirm a promotion or a re-pointing quickly). */
  record RefreshInfo(Address node) implements Effect {}
}
