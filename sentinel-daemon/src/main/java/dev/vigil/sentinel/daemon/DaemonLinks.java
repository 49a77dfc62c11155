package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.ReconnectPolicy;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.DaemonConfig;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.tls.TlsReloader;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the daemon's connections are made: to a group's nodes and peers (timeouts from the group's
 * down-after, quick reconnects, TLS, credentials), and the options every connection to a peer
 * daemon shares. Reads the daemon's current configuration each time, so SENTINEL SET and CONFIG
 * SET reach links opened afterwards.
 */
final class DaemonLinks {
  private final RespClient client;
  private final Supplier<DaemonConfig> config;
  private final Supplier<Timing> timing;
  private final TlsReloader tls;
  private final Supplier<String> myId;
  private final SharedPeerLinks peers = new SharedPeerLinks();

  /** @param tls null when the daemon uses no TLS */
  DaemonLinks(RespClient client, Supplier<DaemonConfig> config, Supplier<Timing> timing,
      TlsReloader tls, Supplier<String> myId) {
    this.client = client;
    this.config = config;
    this.timing = timing;
    this.tls = tls;
    this.myId = myId;
  }

  RespClient client() {
    return client;
  }

  /** A started link to a node ({@code peer} false) or a peer daemon of the group {@code spec}. */
  LinkIo open(Address a, boolean peer, MasterSpec spec, LinkIo.Events events) {
    return open(client, a, peer, spec, events);
  }

  /**
   * Connections on this one loop: a group's links on the group's own loop, so that its commands
   * are written and their replies handed over without waking the other loop (at 500 groups, half
   * of some 3,000 commands a second crossed between the two loops when links were spread over
   * both). A peer daemon is reached over one connection per loop, whatever the number of groups
   * ({@link SharedPeerLinks}).
   */
  GroupDriver.Links on(EventLoop loop) {
    RespClient onLoop = new RespClient(loop);
    return (a, peer, spec, events) -> peer
        ? peers.open(loop, a, options(a, true, spec), config.get().tls().ports(), events)
        : open(onLoop, a, false, spec, events);
  }

  private LinkIo open(RespClient client, Address a, boolean peer, MasterSpec spec,
      LinkIo.Events events) {
    NodeLink l = new NodeLink(client, a, peer, options(a, peer, spec), config.get().tls().ports(),
        events);
    l.start();
    return l;
  }

  private RespClientOptions options(Address a, boolean peer, MasterSpec spec) {
    RespClientOptions options = RespClientOptions.of(a.host(), a.port())
        .withClientName("vigil-" + myId.get().substring(0, 8) + (peer ? "-peer" : "-cmd"))
        .withConnectTimeout(Duration.ofMillis(Math.max(200, Math.min(2_000,
            spec.downAfter().toMillis()))))
        .withCommandTimeout(Duration.ofMillis(Math.max(1_000, spec.downAfter().toMillis())))
        // Reconnect within a quarter second at most: a master that restarts after a failover
        // is demoted on its first INFO, which follows the reconnect; until then its old clients
        // can write to it. A refused connect every 250 ms to a dead node costs nothing.
        .withReconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(
            Math.max(50, Math.min(250, timing.get().pingPeriodFor(spec.downAfter()))))));
    if (peer) {
      options = peerOptions(options);
    } else {
      options = withTls(options);
      if (spec.authPass() != null) {
        options = options.withAuth(spec.authUser(), spec.authPass());
      }
    }
    return options;
  }

  /**
   * How every connection to a peer daemon is secured: TLS when the daemon reaches that port over
   * TLS (tls-replication, or a migration's TLS ports), and sentinel-user/sentinel-pass (or
   * requirepass) as its credentials.
   */
  RespClientOptions peerOptions(RespClientOptions options) {
    DaemonConfig c = config.get();
    options = withTls(options);
    String pass = c.sentinelPass() != null ? c.sentinelPass() : c.requirePass();
    return pass == null ? options : options.withAuth(c.sentinelUser(), pass);
  }

  private RespClientOptions withTls(RespClientOptions options) {
    return config.get().tls().tlsTo(options.port()) ? options.withSsl(tls.clientFor(options.host())) : options;
  }
}
