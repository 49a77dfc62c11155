package dev.vigil.sentinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.state.GroupRecord;
import dev.vigil.sentinel.tls.TlsReloader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * INFO served from the interface the port owns, with no daemon behind it: the sentinel section
 * reads TILT as a typed value and the port from the server itself.
 */
class InfoSectionsTest {
  @Test
  void theSentinelSectionReportsTiltAndGroupsFromTheView() {
    Address a = new Address("10.0.0.1", 6380);
    GroupState g = GroupState.initial(MasterSpec.of("mymaster", a, 2),
        GroupRecord.fresh("mymaster", a), 0);
    TiltState tilt = TiltState.NEVER.afterTickGap(5_000, 40_000, Timing.DEFAULT.tiltTrigger());
    String info = InfoSections.render(new View(List.of(g), tilt, 47_900), List.of("sentinel"),
        new Counters());
    assertThat(info).contains("sentinel_masters:1\r\n", "sentinel_tilt:1\r\n",
        "sentinel_tilt_since_seconds:7\r\n", "sentinel_total_tilt:1\r\n",
        "vigil_fresh_identity_quarantine_ms:2100\r\n",
        "master0:name=mymaster,status=ok,address=10.0.0.1:6380,slaves=0,sentinels=1\r\n");
    assertThat(info).doesNotContain("# Server");
  }

  private record Counters() implements InfoSections.Stats {
    @Override
    public int boundPort() {
      return 26_379;
    }

    @Override
    public long connectedClients() {
      return 0;
    }

    @Override
    public long totalConnections() {
      return 0;
    }

    @Override
    public long totalCommands() {
      return 0;
    }
  }

  /** A daemon seen only through what INFO reads; anything else is not this test's business. */
  private record View(List<GroupState> groups, TiltState tiltNow, long now) implements DaemonCommands {
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
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> updateGroup(MasterSpec spec, String option, String shown) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Integer> resetGroups(String pattern) {
      throw new UnsupportedOperationException();
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
}
