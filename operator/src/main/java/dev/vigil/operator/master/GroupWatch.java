package dev.vigil.operator.master;

import dev.vigil.resp3.client.ConnectionListener;
import dev.vigil.resp3.client.ReconnectPolicy;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the master of one group as its daemons see it: a persistent RESP3 connection to every
 * daemon, subscribed to {@code +switch-master}. A switch (or a reconnect, or a periodic resync)
 * makes it ask every daemon {@code GET-MASTER-ADDR-BY-NAME}; the address a majority of all the
 * daemons reports is handed to the listener whenever it changes. After a switch it asks again
 * every 100 ms until the majority has caught up, so the listener hears of the new master within
 * about one hello period of the first {@code +switch-master}.
 *
 * <p>All state is confined to one event loop.
 */
public final class GroupWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupWatch.class);
  private static final long BURST_PERIOD_MS = 100;
  private static final int BURST_QUERIES = 50;

  private final RespClient client;
  private final TlsLinks tls;
  private final EventLoop loop;
  private final String masterName;
  private final String password;
  private final Consumer<HostPort> listener;
  private final Map<HostPort, RespConnection> connections = new HashMap<>();
  /** The TLS context each connection was opened with (null: plain TCP). */
  private final Map<HostPort, io.netty.handler.ssl.SslContext> openedWith = new HashMap<>();
  private List<HostPort> daemons = List.of();
  private int quorum;
  private HostPort agreed;
  private long issued;
  private long applied;
  private int burstLeft;
  private boolean closed;
  private final ScheduledFuture<?> resync;

  /**
   * @param listener called on the watch's event loop with each newly agreed master
   * @param resyncPeriod how often to ask even without a switch (a missed push, a daemon restart)
   */
  public GroupWatch(RespClient client, EventLoop loop, String masterName, String password,
      Consumer<HostPort> listener, Duration resyncPeriod) {
    this(client, loop, masterName, password, listener, resyncPeriod, new TlsLinks());
  }

  /** @param tls which daemons are reached over TLS, and with what (read at each new connection) */
  public GroupWatch(RespClient client, EventLoop loop, String masterName, String password,
      Consumer<HostPort> listener, Duration resyncPeriod, TlsLinks tls) {
    this.tls = tls;
    this.client = client;
    this.loop = loop;
    this.masterName = masterName;
    this.password = password;
    this.listener = listener;
    this.resync = loop.scheduleAtFixedRate(this::query, resyncPeriod.toMillis(),
        resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The daemons to follow (pods come and go); connections are opened and closed to match. */
  public void daemons(List<HostPort> next) {
    List<HostPort> copy = List.copyOf(next);
    loop.execute(() -> {
      if (closed || copy.equals(daemons) && copy.stream().allMatch(this::tlsCurrent)) {
        return;
      }
      // A daemon whose TLS changed (turned on, renewed material) gets a new connection.
      for (HostPort gone : new ArrayList<>(connections.keySet())) {
        if (!copy.contains(gone) || !tlsCurrent(gone)) {
          connections.remove(gone).closeAsync();
          openedWith.remove(gone);
        }
      }
      copy.forEach(d -> connections.computeIfAbsent(d, this::open));
      daemons = copy;
      query();
    });
  }

  /**
   * The quorum the daemons should use (it follows the number of pods in sidecar mode): set with
   * SENTINEL SET on every daemon at each (re)connect and whenever it changes, since a running
   * daemon does not reread its configuration file.
   */
  public void quorum(int q) {
    loop.execute(() -> {
      if (closed || q == quorum) {
        return;
      }
      quorum = q;
      connections.values().stream().filter(RespConnection::isConnected).forEach(this::sendQuorum);
    });
  }

  private void sendQuorum(RespConnection c) {
    if (quorum > 0) {
      c.send("SENTINEL", "SET", masterName, "quorum", Integer.toString(quorum)).exceptionally(e -> {
        log.warn("group {}: cannot set quorum {} on a daemon: {}", masterName, quorum, e.toString());
        return null;
      });
    }
  }

  /** The master the daemons last agreed on, if any (read from any thread). */
  public Optional<HostPort> agreed() {
    return Optional.ofNullable(agreedVolatile);
  }

  private volatile HostPort agreedVolatile;
  private volatile String disagreement;

  /** When the daemons' last answers named more than one master: who said what. */
  public Optional<String> disagreement() {
    return Optional.ofNullable(disagreement);
  }

  /** Whether a daemon's connection was opened with the TLS its host has now. */
  private boolean tlsCurrent(HostPort d) {
    return !connections.containsKey(d) || openedWith.get(d) == tls.sslFor(d.host());
  }

  private RespConnection open(HostPort d) {
    io.netty.handler.ssl.SslContext ssl = tls.sslFor(d.host());
    openedWith.put(d, ssl);
    RespClientOptions o = RespClientOptions.of(d.host(), d.port())
        .withConnectTimeout(Duration.ofSeconds(2)).withCommandTimeout(Duration.ofSeconds(2))
        .withClientName("vigil-operator").withReconnect(ReconnectPolicy.DEFAULT)
        .withSsl(ssl);
    if (password != null && !password.isEmpty()) {
      o = o.withAuth(null, password);
    }
    RespConnection c = client.newConnection(o);
    c.onPush(this::onPush);
    c.addListener(new ConnectionListener() {
      @Override
      public void connected(RespConnection connection) {
        loop.execute(() -> {
          sendQuorum(connection);
          query();
        });
      }
    });
    c.connect().thenCompose(x -> c.subscribe("+switch-master")).exceptionally(e -> {
      log.warn("group {}: daemon {} not reachable yet: {}", masterName, d, e.toString());
      return null;
    });
    return c;
  }

  private void onPush(Push p) {
    List<RespValue> e = p.elements();
    if (e.size() == 3 && "message".equals(Resp.text(e.get(0)))
        && Resp.text(e.get(2)).startsWith(masterName + " ")) {
      loop.execute(() -> {
        burstLeft = BURST_QUERIES;
        query();
      });
    }
  }

  private void query() {
    if (closed || daemons.isEmpty()) {
      return;
    }
    long generation = ++issued;
    List<HostPort> asked = daemons;
    List<CompletableFuture<MasterConsensus.Report>> replies = new ArrayList<>();
    for (HostPort d : asked) {
      RespConnection c = connections.get(d);
      if (c == null || !c.isConnected()) {
        replies.add(CompletableFuture.completedFuture(new MasterConsensus.Report(d, null)));
        continue;
      }
      replies.add(c.send("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName)
          .handle((v, err) -> new MasterConsensus.Report(d, err == null ? address(v) : null)));
    }
    CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((x, err) ->
        loop.execute(() -> settle(generation, asked.size(),
            replies.stream().map(CompletableFuture::join).toList())));
  }

  private void settle(long generation, int daemonCount, List<MasterConsensus.Report> reports) {
    if (closed || generation < applied) {
      return;
    }
    applied = generation;
    Optional<HostPort> m = MasterConsensus.agreed(reports, daemonCount);
    long distinct = reports.stream().map(MasterConsensus.Report::master)
        .filter(java.util.Objects::nonNull).distinct().count();
    disagreement = distinct > 1 ? "daemons report different masters: " + reports.stream()
        .filter(r -> r.master() != null).map(r -> r.daemon() + " says " + r.master())
        .collect(java.util.stream.Collectors.joining(", ")) : null;
    boolean changed = m.isPresent() && !m.get().equals(agreed);
    if (changed) {
      agreed = m.get();
      agreedVolatile = agreed;
      burstLeft = 0;
      log.info("group {}: daemons agree the master is {}", masterName, agreed);
      listener.accept(agreed);
    } else if (burstLeft > 0) {
      burstLeft--;
      loop.schedule(this::query, BURST_PERIOD_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static HostPort address(RespValue v) {
    List<RespValue> e = Resp.elements(v);
    return e.size() == 2 ? new HostPort(Resp.text(e.get(0)), Integer.parseInt(Resp.text(e.get(1))))
        : null;
  }

  @Override
  public void close() {
    resync.cancel(false);
    loop.execute(() -> {
      closed = true;
      connections.values().forEach(RespConnection::closeAsync);
      connections.clear();
    });
  }
}
