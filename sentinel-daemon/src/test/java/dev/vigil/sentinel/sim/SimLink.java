package dev.vigil.sentinel.sim;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.daemon.LinkIo;
import dev.vigil.sentinel.monitor.NodeInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A daemon's link to a node or a peer over the simulated network: each command is a message
 * there and its reply a message back, either of which may be lost, delayed or overtaken; a
 * command with no reply fails after the command timeout, as NodeLink's does. The link is up
 * while the path is (it notices at its daemon's tick, about as fast as the real links
 * reconnect), and a closed link completes nothing more.
 */
final class SimLink implements LinkIo {
  /** NodeLink's command timeout in the simulation (max(1 s, down-after)). */
  static final long COMMAND_TIMEOUT_MS = 1_000;

  /** Shared and without a stack trace: timeouts are frequent and their origin is always here. */
  private static final TimeoutException TIMED_OUT = new TimeoutException("command timed out") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  final Address address;
  final boolean peer;
  private final Simulation sim;
  private final SimDaemon owner;
  private final LinkIo.Events events;
  private boolean connected;
  boolean closed;

  SimLink(Simulation sim, SimDaemon owner, Address address, boolean peer, LinkIo.Events events) {
    this.sim = sim;
    this.owner = owner;
    this.address = address;
    this.peer = peer;
    this.events = events;
  }

  /** Connects or notices the loss, as the path to the target now is. */
  void refresh() {
    boolean reach = sim.reachable(owner, address);
    if (reach != connected) {
      connected = reach;
      if (reach) {
        events.linkUp(address);
      } else {
        events.linkDown(address);
      }
    }
  }

  @Override
  public boolean isUp() {
    return connected && !closed;
  }

  /**
   * Sends a command; {@code atTarget} runs where it arrives and hands its reply (or nothing, for
   * a target that cannot answer) to the given consumer, which sends it back.
   */
  private <T> CompletableFuture<T> request(Consumer<Consumer<T>> atTarget) {
    return request(atTarget, false);
  }

  /**
   * As {@link #request(Consumer)}; {@code timed} for the commands whose failure the driver acts
   * on (INFO, REPLICAOF): the others' timeouts would only be logged, and cost events.
   */
  private <T> CompletableFuture<T> request(Consumer<Consumer<T>> atTarget, boolean timed) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    if (timed) {
      sim.later(COMMAND_TIMEOUT_MS, () -> {
        if (!closed && !reply.isDone()) {
          reply.completeExceptionally(TIMED_OUT);
        }
      });
    }
    sim.send(owner, address, () -> atTarget.accept(value -> sim.send(address, owner, () -> {
      if (!closed) {
        reply.complete(value);
      }
    })));
    return reply;
  }

  private SimNode node() {
    return sim.node(address);
  }

  @Override
  public CompletionStage<Boolean> ping() {
    return request(answer -> answer.accept(sim.isUp(address)));
  }

  @Override
  public CompletionStage<NodeInfo> info() {
    return request(answer -> {
      SimNode n = node();
      if (n != null && n.up) {
        answer.accept(n.info(sim.nodes));
      }
    }, true);
  }

  @Override
  public CompletionStage<NodeInfo> replicaOf(Address master, boolean unpause) {
    owner.checkReplicaOf(address, master);
    return request(answer -> {
      SimNode n = node();
      if (n == null || !n.up) {
        return;
      }
      n.replicaOf(master, unpause);
      sim.clientsDisconnected(address);
      answer.accept(n.info(sim.nodes));
    }, true);
  }

  @Override
  public CompletionStage<?> pauseWrites(long ms) {
    owner.checkFence(address, ms);
    return request(answer -> {
      SimNode n = node();
      n.pausedUntil = Math.max(n.pausedUntil, sim.now + ms);
      answer.accept("OK");
    });
  }

  @Override
  public CompletionStage<?> unpause() {
    return request(answer -> {
      node().pausedUntil = -1;
      answer.accept("OK");
    });
  }

  @Override
  public CompletionStage<?> failoverTo(Address target, long timeoutMs) {
    return request(answer -> answer.accept(node().failoverTo(sim, target, timeoutMs)));
  }

  @Override
  public CompletionStage<?> disconnectClients() {
    return request(answer -> {
      sim.clientsDisconnected(address);
      answer.accept("OK");
    });
  }

  @Override
  public CompletionStage<PeerAnswer> isMasterDown(Address master, long currentEpoch,
      String runIdOrStar) {
    SimDaemon peerDaemon = sim.daemonAt(address);
    return request(answer -> peerDaemon.whenResponsive(() -> {
      PeerAnswer a = peerDaemon.onAsk(master, currentEpoch, runIdOrStar);
      if (a != null) {
        answer.accept(a);
      }
    }));
  }

  /**
   * PUBLISH on the hello channel: to a peer, straight to it; to a node, on to every daemon
   * subscribed there (those with a link up to it), as Valkey's pub/sub delivers it.
   */
  @Override
  public void publishHello(String payload) {
    if (peer) {
      SimDaemon d = sim.daemonAt(address);
      sim.send(owner, address, () -> d.onHello(payload));
      return;
    }
    sim.send(owner, address, () -> {
      for (SimDaemon d : sim.daemons) {
        if (d != owner && d.subscribedTo(address)) {
          sim.send(address, d, () -> d.onHello(payload));
        }
      }
    });
  }

  @Override
  public String localHost() {
    return owner.address.host();
  }

  @Override
  public CompletionStage<Void> close() {
    closed = true;
    connected = false;
    return CompletableFuture.completedFuture(null);
  }
}
