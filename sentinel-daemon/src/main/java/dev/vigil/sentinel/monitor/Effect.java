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

  /** Write state to disk before anything that depends on it is answered. */
  record Persist() implements Effect {}

  /** A hello carried a higher global epoch: raise ours (never lower it). */
  record AdoptEpoch(long epoch) implements Effect {}
}
