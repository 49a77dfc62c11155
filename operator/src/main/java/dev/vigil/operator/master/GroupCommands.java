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

  /**
   * After a scale-in the daemons still count the removed pods: as replicas (harmless) and, in
   * sidecar mode, as peer daemons, which raises the majority an election needs. The first daemon
   * that knows more replicas or peers than exist is told SENTINEL RESET (it rediscovers the live
   * ones within a few hellos); one daemon per call, so the others keep the group covered
   * meanwhile, as Sentinel's documentation prescribes for removing Sentinels.
   *
   * @return the daemon that was reset, if any
   */
  public java.util.Optional<HostPort> forgetGone(String masterName, List<HostPort> daemons,
      int expectedDaemons, int expectedReplicas) {
    for (HostPort d : daemons) {
      try (RespConnection c = connect(d, null)) {
        var fields = dev.vigil.resp3.value.Resp.asMap(c.send("SENTINEL", "MASTER", masterName)
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).asStringKeyed();
        long replicas = dev.vigil.resp3.value.Resp.longValue(fields.get("num-slaves"));
        long peers = dev.vigil.resp3.value.Resp.longValue(fields.get("num-other-sentinels"));
        if (replicas > expectedReplicas || peers > expectedDaemons - 1) {
          c.send("SENTINEL", "RESET", masterName).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          log.info("{}: daemon {} knew {} replicas and {} peers for {} and {}: reset", masterName, d,
              replicas, peers, expectedReplicas, expectedDaemons - 1);
          return java.util.Optional.of(d);
        }
      } catch (Exception e) {
        log.debug("{}: cannot check daemon {}: {}", masterName, d, e.toString());
      }
    }
    return java.util.Optional.empty();
  }

  /** CONFIG SET replica-priority on a node. */
  public boolean replicaPriority(HostPort node, String password, int priority) {
    return configSet(node, password, "replica-priority", Integer.toString(priority));
  }

  /** CONFIG SET on a running node (parameter, value pairs); false when it could not be done. */
  public boolean configSet(HostPort node, String password, String... parametersAndValues) {
    try (RespConnection c = connect(node, password)) {
      Object[] args = new Object[parametersAndValues.length + 2];
      args[0] = "CONFIG";
      args[1] = "SET";
      System.arraycopy(parametersAndValues, 0, args, 2, parametersAndValues.length);
      c.send(args).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      log.debug("CONFIG SET {} on {}: {}", String.join(" ", parametersAndValues), node, e.toString());
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
