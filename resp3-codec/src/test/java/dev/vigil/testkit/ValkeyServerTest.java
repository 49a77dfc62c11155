package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit itself, on real processes. */
class ValkeyServerTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  @Test
  void startsOnAFreeLoopbackPortAndAnswers() {
    ValkeyServer s = servers.start();
    assertThat(s.port()).isNotEqualTo(6379);
    assertThat(s.command("SET", "k", "v")).isEqualTo("OK");
    assertThat(s.command("GET", "k")).isEqualTo("v");
    assertThat(s.info("server")).containsKey("run_id");
  }

  @Test
  void replicaFollowsItsMaster() {
    List<ValkeyServer> group = servers.startGroup(1);
    group.get(0).command("SET", "k", "from-master");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "from-master".equals(group.get(1).command("GET", "k")));
    assertThat(group.get(1).info("replication")).containsEntry("role", "slave");
  }

  @Test
  void kill9AndRestartKeepPortAndDirectory() {
    ValkeyServer s = servers.start();
    int port = s.port();
    s.kill9();
    assertThat(s.isAlive()).isFalse();
    assertThatThrownBy(() -> s.command("PING")).isInstanceOf(RuntimeException.class);
    s.restart();
    assertThat(s.port()).isEqualTo(port);
    assertThat(s.command("PING")).isEqualTo("PONG");
  }

  @Test
  void pausedServerAnswersNothingUntilResumed() throws IOException {
    ValkeyServer s = servers.start();
    s.pause();
    try (AdminConnection c = s.admin(300)) {
      assertThatThrownBy(() -> c.command("PING")).isInstanceOf(SocketTimeoutException.class);
    }
    s.resume();
    assertThat(s.command("PING")).isEqualTo("PONG");
  }

  @Test
  void passwordProtectedServer() throws IOException {
    ValkeyServer s = servers.start(ValkeyServer.builder().password("s3cret"));
    assertThat(s.command("PING")).isEqualTo("PONG");
    try (AdminConnection anonymous = new AdminConnection(s.host(), s.port(), 2_000)) {
      assertThatThrownBy(() -> anonymous.command("GET", "k"))
          .isInstanceOf(AdminConnection.ServerErrorException.class)
          .hasMessageStartingWith("NOAUTH");
    }
  }

  @Test
  void serversOnDistinctLoopbackAddresses() {
    ValkeyServer a = servers.start(ValkeyServer.builder().bind("127.0.0.1"));
    ValkeyServer b = servers.start(ValkeyServer.builder().bind("127.0.0.2"));
    assertThat(b.host()).isEqualTo("127.0.0.2");
    assertThat(a.command("PING")).isEqualTo("PONG");
    assertThat(b.command("PING")).isEqualTo("PONG");
  }

  @Test
  void closeKillsTheProcessAndDeletesItsDirectory() {
    ValkeyServer s = servers.start();
    s.close();
    assertThat(s.isAlive()).isFalse();
    assertThat(s.dir()).doesNotExist();
    assertThat(ValkeyServer.live()).doesNotContain(s);
  }
}
