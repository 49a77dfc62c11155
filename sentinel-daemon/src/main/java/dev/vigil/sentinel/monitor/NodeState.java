package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/**
 * A Valkey node of a group (the master or a replica) as this daemon sees it.
 *
 * @param address where it is
 * @param link failure-detection state of our connection to it
 * @param info its last INFO, or null before the first
 * @param infoAt when that INFO arrived, or -1
 * @param sdown subjectively down
 * @param sdownSince since when, or -1
 * @param roleChangedAt when its reported role last changed, or -1
 * @param goneSince since when it has been down and unlisted by the master (for forgetting), or -1
 * @param rebornEmpty the master restarted with an empty dataset while replicas hold data: it
 *     must not be followed (its replicas would resync and lose everything), so it counts as down
 */
public record NodeState(
    Address address,
    Link link,
    NodeInfo info,
    long infoAt,
    boolean sdown,
    long sdownSince,
    long roleChangedAt,
    long goneSince,
    boolean rebornEmpty) {

  public static NodeState watching(Address address, long now) {
    return new NodeState(address, Link.watchingSince(now), null, -1, false, -1, -1, -1, false);
  }

  public NodeRole role() {
    return info == null ? NodeRole.UNKNOWN : info.role();
  }

  public String runId() {
    return info == null ? null : info.runId();
  }

  public NodeState withLink(Link l) {
    return new NodeState(address, l, info, infoAt, sdown, sdownSince, roleChangedAt, goneSince, rebornEmpty);
  }

  public NodeState withInfo(NodeInfo i, long now) {
    long changed = info == null || info.role() != i.role() ? now : roleChangedAt;
    return new NodeState(address, link, i, now, sdown, sdownSince, changed, goneSince, rebornEmpty);
  }

  public NodeState withSdown(boolean down, long now) {
    return new NodeState(address, link, info, infoAt, down, down ? now : -1, roleChangedAt, goneSince, rebornEmpty);
  }

  public NodeState withRoleChangedAt(long at) {
    return new NodeState(address, link, info, infoAt, sdown, sdownSince, at, goneSince, rebornEmpty);
  }

  public NodeState withRebornEmpty(boolean empty) {
    return new NodeState(address, link, info, infoAt, sdown, sdownSince, roleChangedAt, goneSince, empty);
  }

  public NodeState withGoneSince(long since) {
    return new NodeState(address, link, info, infoAt, sdown, sdownSince, roleChangedAt, since, rebornEmpty);
  }
}
