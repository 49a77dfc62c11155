package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import java.util.Optional;

/**
 * A hello message: {@code ip,port,runid,current_epoch,master_name,master_ip,master_port,
 * master_config_epoch}, published every publish period on {@code __sentinel__:hello} of every node
 * and sent to every peer. It is how daemons find each other and spread the newest configuration.
 */
public record Hello(
    Address sentinel,
    String runId,
    long currentEpoch,
    String masterName,
    Address master,
    long masterConfigEpoch) {

  public static final String CHANNEL = "__sentinel__:hello";

  public String payload() {
    return sentinel.host() + "," + sentinel.port() + "," + runId + "," + currentEpoch + ","
        + masterName + "," + master.host() + "," + master.port() + "," + masterConfigEpoch;
  }

  /** Parses a payload; empty when it is not a well-formed hello (ignored, as Sentinel does). */
  public static Optional<Hello> parse(String payload) {
    String[] t = payload.split(",", -1);
    if (t.length != 8) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Hello(Address.parse(t[0], t[1]), t[2], Long.parseLong(t[3]), t[4],
          Address.parse(t[5], t[6]), Long.parseLong(t[7])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
