package dev.vigil.sentinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.TiltState;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.List;
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
    String info = InfoSections.render(new GroupsView(List.of(g), tilt, 47_900), List.of("sentinel"),
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
}
