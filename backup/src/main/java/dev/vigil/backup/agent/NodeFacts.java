package dev.vigil.backup.agent;

import dev.vigil.backup.repl.NodeEndpoint;
import dev.vigil.resp3.client.InfoReply;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.client.Transport;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the manifest says about the source node, read with the project's RESP client:
 * server and version from INFO server, role and link state from INFO replication.
 *
 * @param server {@code valkey} or {@code redis}
 * @param version server version
 * @param role {@code master} or {@code replica}
 * @param masterLinkUp for a replica, whether its link to its master is up (true for a master)
 */
public record NodeFacts(String server, String version, String role, boolean masterLinkUp) {

  static NodeFacts read(NodeEndpoint node) throws IOException {
    // NIO, as the replication stream (ReplicaSync): one transport's classes in the agent, whose
    // memory is measured against a limit; a few commands gain nothing from epoll.
    try (RespClient client = new RespClient(Transport.NIO, 1);
         RespConnection c = client.connect(node.clientOptions()).get(
             node.connectTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
      // Plain INFO (default sections): INFO with several sections needs Redis 7 or Valkey.
      InfoReply info = c.info().get(10, TimeUnit.SECONDS);
      return of(info);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(node.address() + ": " + dev.vigil.backup.repl.LinkError.describe(cause), cause);
    } catch (TimeoutException e) {
      throw new IOException(node.address() + ": no answer to INFO");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /** Pure: the facts in an INFO reply. */
  static NodeFacts of(InfoReply info) {
    String valkey = info.get("valkey_version");
    String server = valkey != null || "valkey".equals(info.get("server_name")) ? "valkey" : "redis";
    String version = valkey != null ? valkey : info.get("redis_version");
    String role = "slave".equals(info.get("role")) ? "replica" : "master";
    boolean linkUp = role.equals("master") || "up".equals(info.get("master_link_status"));
    return new NodeFacts(server, version, role, linkUp);
  }
}
