package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.TlsPorts;
import dev.vigil.sentinel.monitor.NodeInfo;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One connection to a peer daemon for every group on an event loop that knows the peer, as
 * Sentinel shares a link between the masters two sentinels both watch. Each group still sees a
 * link of its own ({@link LinkIo}): its commands go over the shared connection, the connection's
 * ups and downs reach every group, and a PING asked for while another group's PING to the peer
 * is waiting for its reply joins that one. The groups on a loop tick in one task, so their PINGs
 * to a peer fall due together and one goes out per ping period instead of one per group: with
 * three daemons and 500 groups, 1,000 connections and 1,000 PINGs a second per daemon, and as
 * many to answer, became eight connections (two per peer and loop, below) and four PINGs.
 *
 * <p>A joined PING's reply was requested before the joining group asked, so it proves the peer
 * alive no earlier than any PING of its own would have (the reply comes after the request); a
 * PING whose reply has already come is never shared.
 *
 * <p>Votes go over a second connection: a peer answers a vote request only once it has
 * persisted its vote, and replies come in order, so on the first connection every group's PING
 * would wait behind the votes of a mass failover (a lost host with many masters) and could reach
 * its timeout. A connection the peer refused for good (its first greeting rejected, e.g. wrong
 * credentials) is not joined: the next group to open the peer starts a new one, as a group of its
 * own would have.
 */
final class SharedPeerLinks {
  /** What a shared connection is keyed by: the loop and every option that shapes it. */
  private record Key(EventLoop loop, RespClientOptions options) {}

  private final Map<Key, Shared> open = new HashMap<>();

  /**
   * A link to the peer at {@code a} for one group, on {@code loop}; {@code events} hears of the
   * connection from now on (and at once, from this call, when it is already up).
   */
  LinkIo open(EventLoop loop, Address a, RespClientOptions options, TlsPorts ports,
      LinkIo.Events events) {
    View view;
    boolean up;
    Shared created = null;
    synchronized (this) {
      Key key = new Key(loop, options);
      Shared shared = open.get(key);
      if (shared == null || shared.refused()) {
        shared = created = new Shared(key, a, ports);
        open.put(key, shared); // the refused one, if any, stays with the groups on it
      }
      view = new View(shared, events);
      shared.views.add(view);
      up = shared.link.isUp();
    }
    if (created != null) {
      try {
        created.start(); // outside the lock: a host name is resolved on the way
      } catch (RuntimeException e) {
        release(view);
        throw e;
      }
    }
    if (up) {
      // Its linkUp went out before this group listened. A second one, when the connection
      // came up between the two lines above, only repeats what the group already knows.
      events.linkUp(a);
    }
    return view;
  }

  /** Shared connections open now (for tests and diagnostics). */
  synchronized int connections() {
    return open.size();
  }

  /** Of those, the ones the peer refused for good (for tests). */
  synchronized long refused() {
    return open.values().stream().filter(Shared::refused).count();
  }

  private synchronized CompletionStage<Void> release(View view) {
    Shared shared = view.shared;
    shared.views.remove(view);
    if (!shared.views.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    open.remove(shared.key, shared);
    return shared.close();
  }

  /** The shared connection and the groups' links on it; fans the connection's events out. */
  private static final class Shared implements LinkIo.Events {
    private static final LinkIo.Events UNHEARD = new LinkIo.Events() {
      @Override
      public void linkUp(Address address) {}

      @Override
      public void linkDown(Address address) {}

      @Override
      public void helloReceived(String payload) {}
    };

    final Key key;
    final List<View> views = new CopyOnWriteArrayList<>();
    /** PINGs and hellos; its ups and downs are the groups' link to the peer. */
    final NodeLink link;
    /** IS-MASTER-DOWN-BY-ADDR: asks and votes, which a peer answers after persisting a vote. */
    final NodeLink asks;
    private volatile CompletableFuture<?> started;
    /** The PING waiting for its reply, if any; read and written on the loop. */
    private CompletableFuture<Boolean> ping;

    Shared(Key key, Address a, TlsPorts ports) {
      this.key = key;
      RespClient client = new RespClient(key.loop());
      link = new NodeLink(client, a, true, key.options(), ports, this);
      asks = new NodeLink(client, a, true, "peer " + a + " (votes)", key.options(), ports,
          UNHEARD);
    }

    void start() {
      started = CompletableFuture.allOf(link.start(), asks.start());
    }

    /** Whether the peer refused either connection for good (its first greeting rejected). */
    boolean refused() {
      CompletableFuture<?> s = started;
      return s != null && s.isCompletedExceptionally();
    }

    CompletionStage<Boolean> ping() {
      if (!key.loop().inEventLoop()) {
        return link.ping(); // not expected (groups ping from their loop); never shared then
      }
      CompletableFuture<Boolean> p = ping;
      if (p == null || p.isDone()) {
        p = link.ping();
        ping = p;
      }
      // Each group its own stage: none can complete or cancel the one the others wait on.
      return p.minimalCompletionStage();
    }

    CompletionStage<Void> close() {
      return CompletableFuture.allOf(link.close(), asks.close());
    }

    @Override
    public void linkUp(Address address) {
      views.forEach(v -> v.events.linkUp(address));
    }

    @Override
    public void linkDown(Address address) {
      views.forEach(v -> v.events.linkDown(address));
    }

    @Override
    public void helloReceived(String payload) {
      views.forEach(v -> v.events.helloReceived(payload));
    }
  }

  /** One group's link to the peer: commands over the shared connection. */
  private final class View implements LinkIo {
    final Shared shared;
    final LinkIo.Events events;

    View(Shared shared, LinkIo.Events events) {
      this.shared = shared;
      this.events = events;
    }

    @Override
    public boolean isUp() {
      return shared.link.isUp();
    }

    @Override
    public CompletionStage<Boolean> ping() {
      return shared.ping();
    }

    @Override
    public CompletionStage<NodeInfo> info() {
      return shared.link.info();
    }

    @Override
    public CompletionStage<NodeInfo> replicaOf(Address master, boolean unpause) {
      return shared.link.replicaOf(master, unpause);
    }

    @Override
    public CompletionStage<?> pauseWrites(long ms) {
      return shared.link.pauseWrites(ms);
    }

    @Override
    public CompletionStage<?> unpause() {
      return shared.link.unpause();
    }

    @Override
    public CompletionStage<?> failoverTo(Address target, long timeoutMs) {
      return shared.link.failoverTo(target, timeoutMs);
    }

    @Override
    public CompletionStage<?> disconnectClients() {
      return shared.link.disconnectClients();
    }

    @Override
    public CompletionStage<PeerAnswer> isMasterDown(Address master, long currentEpoch,
        String runIdOrStar) {
      // The groups ask when the PING connection is up; the votes one reconnects on its own timer,
      // and a vote queued behind PINGs is better than none.
      NodeLink via = shared.asks.isUp() ? shared.asks : shared.link;
      return via.isMasterDown(master, currentEpoch, runIdOrStar);
    }

    @Override
    public void publishHello(String payload) {
      shared.link.publishHello(payload);
    }

    @Override
    public String localHost() {
      return shared.link.localHost();
    }

    /** Leaves the connection; the last group to leave closes it. */
    @Override
    public CompletionStage<Void> close() {
      return release(this);
    }
  }
}
