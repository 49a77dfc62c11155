package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/**
 * An event as Sentinel publishes it: the channel is the event type ({@code +sdown}), the message
 * its payload. Instance payloads read {@code <kind> <name> <ip> <port> [@ <master> <ip> <port>]}.
 */
public record SentinelEvent(String type, String payload) {

  /** The master itself: {@code master mymaster 10.0.0.1 6379}. */
  public static SentinelEvent master(String type, String name, Address master, String extra) {
    return new SentinelEvent(type, "master " + name + " " + master.host() + " " + master.port()
        + suffix(extra));
  }

  /** A replica: {@code slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379}. */
  public static SentinelEvent replica(String type, Address replica, String master, Address masterAddr,
      String extra) {
    return new SentinelEvent(type, "slave " + replica.host() + ":" + replica.port() + " "
        + replica.host() + " " + replica.port() + at(master, masterAddr) + suffix(extra));
  }

  /** A peer daemon: {@code sentinel <runid> 10.0.0.5 26379 @ mymaster 10.0.0.1 6379}. */
  public static SentinelEvent sentinel(String type, String runId, Address peer, String master,
      Address masterAddr, String extra) {
    return new SentinelEvent(type, "sentinel " + runId + " " + peer.host() + " " + peer.port()
        + at(master, masterAddr) + suffix(extra));
  }

  /** Warning-level events are logged at WARN, the rest at INFO (as Sentinel's levels). */
  public boolean isWarning() {
    return switch (type) {
      case "+sdown", "-sdown", "+odown", "-odown", "+switch-master", "+tilt", "-tilt",
          "+failover-end", "+failover-end-for-timeout", "+promoted-slave", "+elected-leader",
          "+try-failover", "+reboot", "+convert-to-slave", "+fix-slave-config" -> true;
      default -> type.startsWith("-failover-abort");
    };
  }

  private static String at(String master, Address addr) {
    return " @ " + master + " " + addr.host() + " " + addr.port();
  }

  private static String suffix(String extra) {
    return extra == null || extra.isEmpty() ? "" : " " + extra;
  }
}
