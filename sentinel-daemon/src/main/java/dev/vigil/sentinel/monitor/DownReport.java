package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;

/**
 * A peer's answer to IS-MASTER-DOWN-BY-ADDR, tied to what it was about: a report counts toward
 * ODOWN only for the same master address and config epoch, and only while fresh
 * ({@code staleReportsIgnored}): a new master must never be failed over because of reports about
 * its predecessor.
 */
public record DownReport(long at, Address master, long configEpoch, boolean down) {

  public boolean countsFor(Address currentMaster, long currentConfigEpoch, long now, long validity) {
    return down && master.equals(currentMaster) && configEpoch == currentConfigEpoch
        && now - at <= validity;
  }
}
