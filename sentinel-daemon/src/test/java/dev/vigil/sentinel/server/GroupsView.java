package dev.vigil.sentinel.server;

import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.tls.TlsReloader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A daemon seen only through its groups, TILT and clock, for the port's commands; REMOVE and
 * RESET are recorded, anything else is not these tests' business.
 */
final class GroupsView implements DaemonCommands {
  private final List<GroupState> groups;
  private final TiltState tiltNow;
  private final long now;
  final List<String> removed = new java.util.ArrayList<>();
  final List<String> resets = new java.util.ArrayList<>();

  GroupsView(List<GroupState> groups, TiltState tiltNow, long now) {
    this.groups = groups;
    this.tiltNow = tiltNow;
    this.now = now;
  }

  @Override
  public List<GroupState> groups() {
    return groups;
  }

  @Override
  public Clock clock() {
    return () -> now;
  }

  @Override
  public long abstainUntil() {
    return 50_000;
  }

  @Override
  public TiltState tilt(long at) {
    return tiltNow;
  }

  @Override
  public boolean inTilt(long at) {
    return tiltNow.active();
  }

  @Override
  public GroupState group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
  }

  @Override
  public DaemonConfig config() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String myId() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long currentEpoch() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long uptimeMillis() {
    throw new UnsupportedOperationException();
  }

  @Override
  public TlsReloader tls() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Timing timing() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void timing(Timing t) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<String, String> configValues() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void configSet(Map<String, String> values) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void flushConfig() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void addGroup(MasterSpec spec) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean removeGroup(String name) {
    removed.add(name);
    return true;
  }

  @Override
  public CompletableFuture<Void> updateGroup(MasterSpec spec, String option, String shown) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Integer> resetGroups(String pattern) {
    resets.add(pattern);
    return CompletableFuture.completedFuture(1);
  }

  @Override
  public CompletableFuture<dev.vigil.sentinel.failover.ForceOutcome> forceFailover(String name,
      boolean coordinated) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<VoteReply> voteRequest(GroupState group, long epoch, String runId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void helloFromPeer(Hello hello) {
    throw new UnsupportedOperationException();
  }
}
