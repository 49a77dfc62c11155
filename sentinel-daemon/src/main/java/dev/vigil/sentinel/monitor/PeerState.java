package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/**
 * Another daemon watching the same group.
 *
 * @param runId its identity (40 hex)
 * @param address where it listens
 * @param link failure-detection state of our connection to it
 * @param lastHelloAt when its last hello arrived, or -1
 * @param sdown subjectively down
 * @param sdownSince since when, or -1
 * @param votedLeader the vote it last reported to us, or null
 * @param votedLeaderEpoch the epoch of that vote
 * @param report its last answer about the master's health, or null
 */
public record PeerState(
    String runId,
    Address address,
    Link link,
    long lastHelloAt,
    boolean sdown,
    long sdownSince,
    String votedLeader,
    long votedLeaderEpoch,
    DownReport report) {

  public static PeerState discovered(String runId, Address address, long now) {
    return new PeerState(runId, address, Link.watchingSince(now), -1, false, -1, null, 0, null);
  }

  public PeerState withLink(Link l) {
    return new PeerState(runId, address, l, lastHelloAt, sdown, sdownSince, votedLeader, votedLeaderEpoch, report);
  }

  public PeerState withHelloAt(long now) {
    return new PeerState(runId, address, link, now, sdown, sdownSince, votedLeader, votedLeaderEpoch, report);
  }

  public PeerState withAddress(Address a, long now) {
    return new PeerState(runId, a, Link.watchingSince(now), lastHelloAt, false, -1, votedLeader,
        votedLeaderEpoch, null);
  }

  public PeerState withSdown(boolean down, long now) {
    return new PeerState(runId, address, link, lastHelloAt, down, down ? now : -1, votedLeader,
        votedLeaderEpoch, report);
  }

  /** Records an answer to IS-MASTER-DOWN-BY-ADDR: its down report and the vote it carries. */
  public PeerState answered(DownReport r, String leader, long leaderEpoch) {
    return new PeerState(runId, address, link, lastHelloAt, sdown, sdownSince,
        leader == null ? votedLeader : leader, leader == null ? votedLeaderEpoch : leaderEpoch, r);
  }
}
