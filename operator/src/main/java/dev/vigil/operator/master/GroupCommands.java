package dev.vigil.operator.master;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few commands the operator sends itself: a coordinated switchover through a daemon (before
 * removing or replacing the master's pod), and replica-priority 0 on nodes about to be removed so
 * the daemons never choose them. Each is best effort and idempotent: the next reconcile repeats
 * whatever did not take.
 */
public final class GroupCommands {
  private static final Logger log = LoggerFactory.getLogger(GroupCommands.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final RespClient client;

  public GroupCommands(RespClient client) {
    this.client = client;
  }

  /** SENTINEL FAILOVER name COORDINATED on the first daemon that accepts it. */
  public boolean switchover(String masterName, List<HostPort> daemons) {
    for (HostPort d : daemons) {
      try (RespConnection c = connect(d, null)) {
        c.send("SENTINEL", "FAILOVER", masterName, "COORDINATED").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        log.info("{}: coordinated switchover requested through daemon {}", masterName, d);
        return true;
      } catch (Exception e) {
        log.debug("{}: daemon {} refused the switchover: {}", masterName, d, e.toString());
      }
    }
    return false;
  }

  /** CONFIG SET replica-priority on a node. */
  public boolean replicaPriority(HostPort node, String password, int priority) {
    try (RespConnection c = connect(node, password)) {
      c.send("CONFIG", "SET", "replica-priority", Integer.toString(priority))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      log.debug("replica-priority on {}: {}", node, e.toString());
      return false;
    }
  }

  private RespConnection connect(HostPort a, String password) throws Exception {
    RespClientOptions o = RespClientOptions.of(a.host(), a.port()).withConnectTimeout(TIMEOUT)
        .withCommandTimeout(TIMEOUT).withClientName("vigil-operator");
    if (password != null) {
      o = o.withAuth(null, password);
    }
    return client.connect(o).get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
  }
}
