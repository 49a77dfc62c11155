package dev.vigil.operator.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The commands against a real server, and against a port nobody listens on: never an exception. */
class RespGroupCommandsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void configSetTakesOnARealNodeAndFailsQuietlyWhereNothingListens() throws Exception {
    ValkeyServer node = servers.start(ValkeyServer.builder().password("secret"));
    try (RespClient client = new RespClient(1)) {
      RespGroupCommands commands = new RespGroupCommands(client);
      HostPort at = new HostPort(node.host(), node.port());
      assertThat(commands.configSet(at, "secret", Map.of("replica-priority", "0")).toCompletableFuture()
          .get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(node.command("CONFIG", "GET", "replica-priority")).isEqualTo(List.of("replica-priority", "0"));
      assertThat(commands.configSet(at, "wrong", Map.of("replica-priority", "100")).toCompletableFuture()
          .get(10, TimeUnit.SECONDS)).as("refused: wrong password").isFalse();
      HostPort nobody = new HostPort("127.0.0.1", closedPort());
      assertThat(commands.configSet(nobody, null, Map.of("replica-priority", "0")).toCompletableFuture()
          .get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(commands.switchover("cache", List.of(nobody)).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isFalse();
      assertThat(commands.forgetGone("cache", List.of(nobody), 3, 2).toCompletableFuture()
          .get(10, TimeUnit.SECONDS)).isEqualTo(Optional.empty());
    }
  }
}
