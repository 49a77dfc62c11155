package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.ConnectionListener;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.client.RespServerException;
import dev.vigil.resp3.client.ValkeyCommands;
import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.TlsPorts;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.NodeInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The one persistent RESP3 connection to a Valkey node or a peer daemon. On a data node it also
 * carries the {@code __sentinel__:hello} subscription: RESP3 delivers pushes on the same
 * connection as replies, so a node needs no second link.
 */
final class NodeLink implements LinkIo {
  /** CONFIG REWRITE, then drop normal and pub/sub clients so that they re-resolve the master. */
  private static final java.util.List<RespCommand> REWRITE_AND_DISCONNECT = java.util.List.of(
      RespCommand.of("CONFIG", "REWRITE"), RespCommand.of("CLIENT", "KILL", "TYPE", "normal"),
      RespCommand.of("CLIENT", "KILL", "TYPE", "pubsub"));

  final Address address;
  final boolean peer;
  private final RespConnection connection;
  private final LinkIo.Events listener;
  private final LinkFailures failures;
  private final TlsPorts migration;
  private boolean subscribed;

  /**
   * Reports what it sees on the connection's event loop.
   *
   * @param migration the TLS ports of a migration to TLS only: a node pointed at a master gets
   *     {@code tls-replication} by their rule; none = the node's setting is left alone
   */
  NodeLink(RespClient client, Address address, boolean peer, RespClientOptions options,
      TlsPorts migration, LinkIo.Events listener) {
    this(client, address, peer, (peer ? "peer " : "node ") + address, options, migration,
        listener);
  }

  /** @param what how the link's connection failures name it in the log */
  NodeLink(RespClient client, Address address, boolean peer, String what,
      RespClientOptions options, TlsPorts migration, LinkIo.Events listener) {
    this.address = address;
    this.peer = peer;
    this.migration = migration;
    this.listener = listener;
    this.failures = new LinkFailures(what);
    this.connection = client.newConnection(options);
    connection.addListener(new ConnectionListener() {
      @Override
      public void connected(RespConnection c) {
        failures.connected();
        if (!peer && !subscribed) {
          subscribed = true;
          c.subscribe(Hello.CHANNEL);
        }
        listener.linkUp(address);
      }

      @Override
      public void disconnected(RespConnection c, Throwable cause) {
        listener.linkDown(address);
      }

      @Override
      public void attemptFailed(RespConnection c, Throwable cause) {
        failures.attemptFailed(cause);
      }
    });
    connection.onPush(this::onPush);
  }

  /**
   * Connects, and keeps reconnecting; the future fails when the link gives up for good (closed,
   * or its first connection refused by the server, e.g. wrong credentials).
   */
  CompletableFuture<?> start() {
    return connection.connect();
  }

  private void onPush(Push push) {
    if (push.kind().equals("message") && push.size() == 3
        && Hello.CHANNEL.equals(Resp.text(push.get(1)))) {
      listener.helloReceived(Resp.text(push.get(2)));
    }
  }

  @Override
  public boolean isUp() {
    return connection.isConnected();
  }

  /**
   * PING; completes with whether the reply was acceptable (PONG, LOADING, MASTERDOWN, as
   * Sentinel), or exceptionally when no reply came (lost link, timeout).
   */
  @Override
  public CompletableFuture<Boolean> ping() {
    // One future per PING rather than ping()'s two: this runs for every PING of every link.
    return connection.send(ValkeyCommands.PING).handle((reply, error) -> {
      if (error == null) {
        // No upper-cased copy, for the same reason.
        return ValkeyCommands.pingText(reply).regionMatches(true, 0, "PONG", 0, 4);
      }
      // send()'s own future fails with the cause itself; only a stage after it wraps it.
      Throwable cause = error instanceof java.util.concurrent.CompletionException
          && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof RespServerException e) {
        return e.code().equals("LOADING") || e.code().equals("MASTERDOWN");
      }
      throw new java.util.concurrent.CompletionException(cause);
    });
  }

  /** INFO (default sections, as Sentinel asks). */
  @Override
  public CompletableFuture<NodeInfo> info() {
    return connection.send("INFO").thenApply(r -> NodeInfo.parse(Resp.text(r)));
  }

  /**
   * REPLICAOF as Sentinel sends it, with the node's INFO right after it in the same transaction
   * (its role and offset at the moment it switched: what a failover waits for before the
   * promotion), then a second transaction, pipelined behind it, that rewrites the node's config
   * and disconnects its normal and pub/sub clients, which is how Sentinel-aware clients learn to
   * re-resolve the master. Two, so that the reply does not wait for the config file's fsync.
   * {@code master} null means REPLICAOF NO ONE. {@code unpause} lifts a write pause right after
   * REPLICAOF: the node is read-only before its held clients go on, and its link to the new
   * master is not held back by the pause.
   */
  @Override
  public CompletableFuture<NodeInfo> replicaOf(Address master, boolean unpause) {
    RespCommand replicaOf = master == null
        ? RespCommand.of("REPLICAOF", "NO", "ONE")
        : RespCommand.of("REPLICAOF", master.host(), master.port());
    java.util.List<RespCommand> tx = new java.util.ArrayList<>();
    if (master != null && migration.listed()) {
      // Before REPLICAOF, in the same transaction: the new replication link follows it.
      tx.add(tlsReplicationFor(master));
    }
    tx.add(replicaOf);
    if (unpause) {
      tx.add(RespCommand.of("CLIENT", "UNPAUSE"));
    }
    tx.add(RespCommand.of("INFO"));
    CompletableFuture<NodeInfo> switched = connection.transaction(tx).thenApply(replies -> {
      for (var r : replies.subList(0, tx.indexOf(replicaOf) + 1)) {
        if (r.isError()) {
          throw new IllegalStateException(Resp.text(r));
        }
      }
      return NodeInfo.parse(Resp.text(replies.get(replies.size() - 1)));
    });
    connection.transaction(REWRITE_AND_DISCONNECT);
    return switched;
  }

  /**
   * CLIENT PAUSE ms WRITE: the node serves reads but holds every write (and WAIT) until the pause
   * ends or is lifted.
   */
  @Override
  public CompletableFuture<?> pauseWrites(long ms) {
    return connection.send("CLIENT", "PAUSE", ms, "WRITE");
  }

  /** CLIENT UNPAUSE. */
  @Override
  public CompletableFuture<?> unpause() {
    return connection.send("CLIENT", "UNPAUSE");
  }

  /**
   * FAILOVER TO on a master: pause writes, let the target catch up, swap roles. During a
   * migration the master first gets the {@code tls-replication} it needs to follow the target;
   * a refusal of that (an ACL without +config|set) fails the hand-over before it starts.
   */
  @Override
  public CompletableFuture<?> failoverTo(Address target, long timeoutMs) {
    CompletableFuture<?> ready = migration.listed()
        ? connection.send(tlsReplicationFor(target)) : CompletableFuture.completedFuture(null);
    return ready.thenCompose(ok -> connection.send("FAILOVER", "TO", target.host(), target.port(),
        "TIMEOUT", timeoutMs));
  }

  private RespCommand tlsReplicationFor(Address master) {
    return RespCommand.of("CONFIG", "SET", "tls-replication", migration.replicationFor(master));
  }

  /** CONFIG REWRITE, then disconnect normal and pub/sub clients so they re-resolve the master. */
  @Override
  public CompletableFuture<?> disconnectClients() {
    return connection.transaction(REWRITE_AND_DISCONNECT);
  }

  /** SENTINEL IS-MASTER-DOWN-BY-ADDR to a peer: [down, leader run id or *, leader epoch]. */
  @Override
  public CompletableFuture<PeerAnswer> isMasterDown(Address master, long currentEpoch,
      String runIdOrStar) {
    return connection.send("SENTINEL", "is-master-down-by-addr", master.host(), master.port(),
        currentEpoch, runIdOrStar).thenApply(Resp::elements).thenApply(reply -> {
          if (reply.size() != 3) {
            throw new IllegalStateException("malformed is-master-down reply: " + reply);
          }
          String leader = Resp.text(reply.get(1));
          return new PeerAnswer(Resp.longValue(reply.get(0)) == 1,
              leader == null || leader.equals("*") ? null : leader, Resp.longValue(reply.get(2)));
        });
  }

  @Override
  public void publishHello(String payload) {
    connection.publish(Hello.CHANNEL, payload);
  }

  /** The local address of the link: what this daemon announces when no announce-ip is set. */
  @Override
  public String localHost() {
    InetSocketAddress a = connection.localAddress();
    return a == null ? null : a.getAddress().getHostAddress();
  }

  RespConnection connection() {
    return connection;
  }

  @Override
  public CompletableFuture<Void> close() {
    return connection.closeAsync();
  }
}
