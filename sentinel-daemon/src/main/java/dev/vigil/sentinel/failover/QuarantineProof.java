package dev.vigil.sentinel.failover;

import dev.vigil.sentinel.config.Address;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Why a daemon that started without its state may end its fresh-identity quarantine before its
 * time: every daemon of the deployment (the configured {@code vigil.failover.peers}) has told it,
 * on a connection opened after this start, its current epoch. The identity this daemon forgot
 * can only have voted in an epoch some candidate had reached before this start; a candidate that
 * still remembers that vote is one of the peers, and its epoch only grows, so the highest answer
 * is at least every epoch in which that vote can still count. Blocking every epoch up to it (the
 * vote floor) makes a second vote in such an epoch impossible, without waiting. A candidate that
 * lost its state too can no longer count the old vote. (Model: election.pml, REPORT and PROOF.)
 *
 * <p>The list must be complete: a daemon missing from it could be the candidate that the
 * forgotten identity voted for. Answers are keyed by configured address, not run id, so a peer
 * that restarted between two answers cannot stand in for one that has not answered. Each answer
 * also names the peers its daemon knows; an address the list lacks joins the ones waited for, so
 * a list read before a scale-out (a mounted ConfigMap lags) is completed by what the others have
 * heard, and a daemon they know that cannot be reached keeps the timed quarantine.
 *
 * @param peers every address waited for: the configured ones (this daemon's own may be among
 *     them) and those the answers named
 * @param answers the epoch each address answered with
 */
public record QuarantineProof(String myId, Set<Address> peers, Map<Address, Long> answers) {
  public QuarantineProof {
    // In the order given, not Set.copyOf's (which differs from one JVM to the next): the order
    // the peers are asked in is then the same in every run, and a simulation seed replays
    // exactly (it did not: its totals varied between runs of the same code).
    peers = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(peers));
    answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  public static QuarantineProof start(String myId, Set<Address> peers) {
    return new QuarantineProof(myId, peers, Map.of());
  }

  /**
   * A configured address answered with its run id and current epoch. This daemon's own address
   * answers with its own run id: it counts as answered and adds nothing.
   */
  public QuarantineProof answered(Address peer, String runId, long epoch) {
    return answered(peer, runId, epoch, Set.of());
  }

  /** As above, with the peers the answering daemon knows, which are then waited for too. */
  public QuarantineProof answered(Address peer, String runId, long epoch, Set<Address> known) {
    if (!peers.contains(peer) || epoch < 0) {
      return this;
    }
    Map<Address, Long> m = new LinkedHashMap<>(answers);
    m.merge(peer, myId.equals(runId) ? 0L : epoch, Math::max);
    Set<Address> all = new java.util.LinkedHashSet<>(peers);
    all.addAll(known);
    return new QuarantineProof(myId, all, m);
  }

  /** As if {@code peer} had not answered (its answer could not be recorded). */
  public QuarantineProof withoutAnswer(Address peer) {
    Map<Address, Long> m = new LinkedHashMap<>(answers);
    m.remove(peer);
    return new QuarantineProof(myId, peers, m);
  }

  public boolean configured() {
    return !peers.isEmpty();
  }

  /** The addresses that have not answered yet. */
  public Set<Address> waitingFor() {
    Set<Address> waiting = new java.util.LinkedHashSet<>();
    for (Address p : peers) {
      if (!answers.containsKey(p)) {
        waiting.add(p);
      }
    }
    return java.util.Collections.unmodifiableSet(waiting);
  }

  /**
   * What the answers so far prove on their own, complete or not: the forgotten identity cannot
   * have given a vote that an answering candidate can still count in an epoch above that
   * candidate's answer, so no epoch up to the highest answer may be voted in again. Unlike
   * {@link #floor}, this ends no quarantine (a peer that has not answered may hold a higher epoch);
   * it is what keeps the answers of a proof that the timed end overtook: a peer cut off through
   * the whole quarantine that answers afterwards still blocks the epoch it holds (soak seed
   * 809484: without it, the first vote after the timed end went to a second candidate in an
   * epoch the forgotten identity had voted in, while the first candidate lived on).
   */
  public OptionalLong partialFloor() {
    return answers.values().stream().mapToLong(Long::longValue).max();
  }

  /** Every address waited for has answered. */
  public boolean complete() {
    return configured() && answers.keySet().containsAll(peers);
  }

  /**
   * The vote floor once every configured address has answered: the highest answer, or this
   * daemon's own current epoch if higher (it may have adopted epochs while it waited); empty
   * while some address has not answered.
   */
  public OptionalLong floor(long currentEpoch) {
    if (!complete()) {
      return OptionalLong.empty();
    }
    long max = currentEpoch;
    for (long e : answers.values()) {
      max = Math.max(max, e);
    }
    return OptionalLong.of(max);
  }
}
