package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.monitor.NodeInfo;
import java.util.concurrent.CompletionStage;

/**
 * One connection of a group, to a Valkey node or a peer daemon, as {@link GroupDriver} uses it:
 * the commands it sends and what comes back. Production: {@link NodeLink} over RESP3; the
 * simulation: messages on virtual time. A command whose reply never comes completes
 * exceptionally after the link's command timeout.
 */
public interface LinkIo {
  boolean isUp();

  /** PING: whether the reply was acceptable (PONG, LOADING, MASTERDOWN, as Sentinel). */
  CompletionStage<Boolean> ping();

  CompletionStage<NodeInfo> info();

  /**
   * REPLICAOF (null master: NO ONE), then CLIENT UNPAUSE when {@code unpause}, and INFO, in one
   * transaction; CONFIG REWRITE and the disconnection of normal and pub/sub clients follow. The
   * reply is that INFO: the node as it was right after the switch. A REPLICAOF the node refused
   * completes exceptionally.
   */
  CompletionStage<NodeInfo> replicaOf(Address master, boolean unpause);

  CompletionStage<?> pauseWrites(long ms);

  CompletionStage<?> unpause();

  CompletionStage<?> failoverTo(Address target, long timeoutMs);

  /** CONFIG REWRITE and CLIENT KILL of normal and pub/sub clients. */
  CompletionStage<?> disconnectClients();

  /** SENTINEL IS-MASTER-DOWN-BY-ADDR to a peer; a malformed reply completes exceptionally. */
  CompletionStage<PeerAnswer> isMasterDown(Address master, long currentEpoch, String runIdOrStar);

  void publishHello(String payload);

  /** The local address of the link (what a hello announces without announce-ip), or null. */
  String localHost();

  CompletionStage<Void> close();

  /** A peer's IS-MASTER-DOWN-BY-ADDR reply: its down report and its vote (leader or null). */
  record PeerAnswer(boolean down, String leader, long leaderEpoch) {}

  /** What a link reports; may be called on any thread. */
  interface Events {
    void linkUp(Address address);

    void linkDown(Address address);

    void helloReceived(String payload);
  }
}
