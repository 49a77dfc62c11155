package dev.vigil.operator.master;

import java.util.List;
import java.util.Optional;

/**
 * The daemons' view of each cluster's master, as the reconciler reads it. {@link MasterTracker}
 * follows real daemons; tests stand in for daemons that do not run.
 */
public interface Masters extends AutoCloseable {
  /** Starts or updates following a cluster's daemons; never blocks on the network. */
  void watch(String key, String masterName, String password, List<HostPort> daemons, int quorum);

  /** The master a majority of the cluster's daemons agree on now, if any. */
  Optional<HostPort> master(String key);

  /** When the daemons' last answers named more than one master: who said what. */
  Optional<String> disagreement(String key);

  void forget(String key);

  @Override
  void close();
}
