package dev.vigil.sentinel.server;

/**
 * Our answer to a peer's vote request (IS-MASTER-DOWN-BY-ADDR with a run id): the leader we
 * voted for in that epoch (null when we gave no vote) and the epoch of that vote.
 */
public record VoteReply(String leader, long leaderEpoch) {
  /** No vote: the group is unknown here. */
  public static final VoteReply NONE = new VoteReply(null, 0L);
}
