package dev.vigil.sentinel.daemon;

import dev.vigil.resp3.client.ConnectionListener;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.client.RespServerException;
import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.Hello;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The one persistent RESP3 connection to a Valkey node or a peer daemon. On a data node it also
 * carries the {@code __sentinel__:hello} subscription: RESP3 delivers pushes on the same
 * connection as replies, so a node needs no second link.
 */
final class NodeLink {
  /** Where the link reports what it sees; called on the connection's event loop. */
  interface Listener {
    void linkUp(Address address);

    void linkDown(Address address);

    void helloReceived(String payload);
  }

  final Address address;
  final boolean peer;
  private final RespConnection connection;
  private final Listener listener;
  private final LinkFailures failures;
  private boolean subscribed;
  long lastInfoRequestAt = -1;
  boolean infoInFlight;

  NodeLink(RespClient client, Address address, boolean peer, RespClientOptions options,
      Listener listener) {
    this.address = address;
    this.peer = peer;
    this.listener = listener;
    this.failures = new LinkFailures((peer ? "peer " : "node ") + address);
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

  void start() {
    connection.connect();
  }

  private void onPush(Push push) {
    if (push.kind().equals("message") && push.size() == 3
        && Hello.CHANNEL.equals(Resp.text(push.get(1)))) {
      listener.helloReceived(Resp.text(push.get(2)));
    }
  }

  boolean isUp() {
    return connection.isConnected();
  }

  /**
   * PING; completes with whether the reply was acceptable (PONG, LOADING, MASTERDOWN, as
   * Sentinel), or exceptionally when no reply came (lost link, timeout).
   */
  CompletableFuture<Boolean> ping() {
    return connection.ping().handle((reply, error) -> {
      if (error == null) {
        return reply.toUpperCase().startsWith("PONG");
      }
      Throwable cause = error.getCause() != null ? error.getCause() : error;
      if (cause instanceof RespServerException e) {
        return e.code().equals("LOADING") || e.code().equals("MASTERDOWN");
      }
      throw new java.util.concurrent.CompletionException(cause);
    });
  }

  /** INFO (default sections, as Sentinel asks), as text. */
  CompletableFuture<String> info() {
    return connection.send("INFO").thenApply(Resp::text);
  }

  /**
   * REPLICAOF as Sentinel sends it: one transaction that also rewrites the node's config and
   * disconnects its normal and pub/sub clients, which is how Sentinel-aware clients learn to
   * re-resolve the master. {@code master} null means REPLICAOF NO ONE. {@code unpause} lifts a
   * write pause right after REPLICAOF: the node is read-only before its held clients go on, and
   * its link to the new master is not held back by the pause.
   */
  CompletableFuture<?> replicaOf(Address master, boolean unpause) {
    RespCommand replicaOf = master == null
        ? RespCommand.of("REPLICAOF", "NO", "ONE")
        : RespCommand.of("REPLICAOF", master.host(), master.port());
    java.util.List<RespCommand> tx = new java.util.ArrayList<>(java.util.List.of(replicaOf));
    if (unpause) {
      tx.add(RespCommand.of("CLIENT", "UNPAUSE"));
    }
    tx.addAll(java.util.List.of(RespCommand.of("CONFIG", "REWRITE"),
        RespCommand.of("CLIENT", "KILL", "TYPE", "normal"),
        RespCommand.of("CLIENT", "KILL", "TYPE", "pubsub")));
    return connection.transaction(tx);
  }

  /**
   * CLIENT PAUSE ms WRITE: the node serves reads but holds every write (and WAIT) until the pause
   * ends or is lifted.
   */
  CompletableFuture<?> pauseWrites(long ms) {
    return connection.send("CLIENT", "PAUSE", ms, "WRITE");
  }

  /** CLIENT UNPAUSE. */
  CompletableFuture<?> unpause() {
    return connection.send("CLIENT", "UNPAUSE");
  }

  /** FAILOVER TO on a master: pause writes, let the target catch up, swap roles. */
  CompletableFuture<?> failoverTo(Address target, long timeoutMs) {
    return connection.send("FAILOVER", "TO", target.host(), target.port(), "TIMEOUT", timeoutMs);
  }

  /** CONFIG REWRITE, then disconnect normal and pub/sub clients so they re-resolve the master. */
  CompletableFuture<?> disconnectClients() {
    return connection.transaction(java.util.List.of(RespCommand.of("CONFIG", "REWRITE"),
        RespCommand.of("CLIENT", "KILL", "TYPE", "normal"),
        RespCommand.of("CLIENT", "KILL", "TYPE", "pubsub")));
  }

  /** SENTINEL IS-MASTER-DOWN-BY-ADDR to a peer: [down, leader run id or *, leader epoch]. */
  CompletableFuture<java.util.List<dev.vigil.resp3.value.RespValue>> isMasterDown(Address master,
      long currentEpoch, String runIdOrStar) {
    return connection.send("SENTINEL", "is-master-down-by-addr", master.host(), master.port(),
        currentEpoch, runIdOrStar).thenApply(Resp::elements);
  }

  CompletableFuture<?> publishHello(String payload) {
    return connection.publish(Hello.CHANNEL, payload);
  }

  /** The local address of the link: what this daemon announces when no announce-ip is set. */
  String localHost() {
    InetSocketAddress a = connection.localAddress();
    return a == null ? null : a.getAddress().getHostAddress();
  }

  RespConnection connection() {
    return connection;
  }

  java.util.concurrent.CompletableFuture<Void> close() {
    return connection.closeAsync();
  }
}
