package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against real servers. */
class ClientIntegrationTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  private static RespClient client;

  @BeforeAll
  static void startClient() {
    client = new RespClient(1);
  }

  @AfterAll
  static void stopClient() {
    client.close();
  }

  private static RespConnection connect(RespClientOptions options) throws Exception {
    return client.connect(options).get(10, TimeUnit.SECONDS);
  }

  private static RespClientOptions to(ValkeyServer s) {
    return RespClientOptions.of(s.host(), s.port());
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    Throwable e = f.handle((v, error) -> error).join();
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
  }

  @Test
  void helloThreeWithAuthAndName() throws Exception {
    ValkeyServer s = servers.start(ValkeyServer.builder().password("s3cret"));
    try (RespConnection c = connect(to(s).withAuth(null, "s3cret").withClientName("vigil-test"))) {
      assertThat(c.protocol()).isEqualTo(3);
      assertThat(Resp.longValue(c.hello().get("proto"))).isEqualTo(3);
      assertThat(c.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      assertThat(Resp.text(c.send("CLIENT", "GETNAME").get(5, TimeUnit.SECONDS)))
          .isEqualTo("vigil-test");
    }
  }

  @Test
  void wrongPasswordFailsTheConnectWithTheServersError() {
    ValkeyServer s = servers.start(ValkeyServer.builder().password("s3cret"));
    Throwable e = failureOf(client.connect(to(s).withAuth(null, "wrong")));
    assertThat(e).isInstanceOf(RespServerException.class);
    assertThat(((RespServerException) e).code()).isEqualTo("WRONGPASS");
  }

  @Test
  void missingPasswordSurfacesNoauthOnCommands() throws Exception {
    ValkeyServer s = servers.start(ValkeyServer.builder().password("s3cret"));
    Throwable e = failureOf(client.connect(to(s)));
    assertThat(((RespServerException) e).code()).isEqualTo("NOAUTH");
  }

  @Test
  void fallsBackToResp2WhenTheServerHasNoHello() throws Exception {
    ValkeyServer s = servers.start(ValkeyServer.builder().password("s3cret")
        .config("rename-command HELLO \"\""));
    try (RespConnection c = connect(to(s).withAuth(null, "s3cret").withClientName("resp2"))) {
      assertThat(c.protocol()).isEqualTo(2);
      assertThat(c.hello()).isNull();
      assertThat(Resp.text(c.send("CLIENT", "GETNAME").get(5, TimeUnit.SECONDS))).isEqualTo("resp2");
      // RESP2 sends maps as flat arrays; the protocol-neutral accessor reads them alike.
      assertThat(c.configGet("maxmemory-policy").get(5, TimeUnit.SECONDS))
          .containsEntry("maxmemory-policy", "noeviction");
    }
  }

  @Test
  void tenThousandPipelinedCommandsGetTheirOwnReplies() throws Exception {
    ValkeyServer s = servers.start();
    try (RespConnection c = connect(to(s))) {
      List<CompletableFuture<RespValue>> replies = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        replies.add(c.send("INCR", "counter"));
      }
      for (int i = 0; i < replies.size(); i++) {
        assertThat(Resp.longValue(replies.get(i).get(10, TimeUnit.SECONDS))).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void pushesInterleavedWithRepliesNeverShiftTheMatching() throws Exception {
    ValkeyServer s = servers.start();
    List<Push> pushes = new CopyOnWriteArrayList<>();
    try (RespConnection subscriber = connect(to(s));
        RespConnection publisher = connect(to(s))) {
      subscriber.onPush(pushes::add);
      assertThat(Resp.elements(subscriber.subscribe("ch1", "ch2").get(5, TimeUnit.SECONDS)))
          .isNotEmpty();
      List<CompletableFuture<RespValue>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        publisher.publish(i % 2 == 0 ? "ch1" : "ch2", "m" + i);
        replies.add(subscriber.send("ECHO", "e" + i));
      }
      for (int i = 0; i < replies.size(); i++) {
        assertThat(Resp.text(replies.get(i).get(5, TimeUnit.SECONDS))).isEqualTo("e" + i);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> pushes.size() == 200);
      for (int i = 0; i < 200; i++) {
        Push p = pushes.get(i);
        assertThat(p.kind()).isEqualTo("message");
        assertThat(Resp.text(p.get(1))).isEqualTo(i % 2 == 0 ? "ch1" : "ch2");
        assertThat(Resp.text(p.get(2))).isEqualTo("m" + i);
      }
      subscriber.unsubscribe().get(5, TimeUnit.SECONDS);
      assertThat(subscriber.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
    }
  }

  @Test
  void resp2SubscribeModeDeliversMessagesAsPushes() throws Exception {
    ValkeyServer s = servers.start();
    List<Push> pushes = new CopyOnWriteArrayList<>();
    try (RespConnection subscriber = connect(to(s).withResp3(false));
        RespConnection publisher = connect(to(s))) {
      subscriber.onPush(pushes::add);
      subscriber.subscribe("a", "b").get(5, TimeUnit.SECONDS);
      subscriber.psubscribe("p*").get(5, TimeUnit.SECONDS);
      publisher.publish("a", "1").get(5, TimeUnit.SECONDS);
      publisher.publish("pq", "2").get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> pushes.size() == 2);
      assertThat(pushes.get(0).kind()).isEqualTo("message");
      assertThat(pushes.get(1).kind()).isEqualTo("pmessage");
      // PING in RESP2 subscribe mode answers ["pong", ""]; it is a reply, not a push.
      assertThat(subscriber.ping().get(5, TimeUnit.SECONDS)).isEqualTo("pong");
      subscriber.unsubscribe().get(5, TimeUnit.SECONDS);
      subscriber.punsubscribe().get(5, TimeUnit.SECONDS);
      assertThat(subscriber.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
    }
  }

  @Test
  void typedHelpers() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    ValkeyServer master = group.get(0);
    ValkeyServer replica = group.get(1);
    try (RespConnection m = connect(to(master)); RespConnection r = connect(to(replica))) {
      InfoReply info = m.info("replication").get(5, TimeUnit.SECONDS);
      assertThat(info.get("role")).isEqualTo("master");
      assertThat(info.getLong("connected_slaves", -1)).isEqualTo(1);
      assertThat(r.role().get(5, TimeUnit.SECONDS).masterPort()).isEqualTo(master.port());
      assertThat(m.role().get(5, TimeUnit.SECONDS).replicas()).hasSize(1);

      List<RespValue> results = m.transaction(List.of(RespCommand.of("SET", "k", "1"),
          RespCommand.of("INCR", "k"), RespCommand.of("LPUSH", "k", "x"))).get(5, TimeUnit.SECONDS);
      assertThat(Resp.longValue(results.get(1))).isEqualTo(2);
      assertThat(results.get(2).isError()).isTrue();
      assertThat(m.waitReplicas(1, 5_000).get(10, TimeUnit.SECONDS)).isEqualTo(1);

      assertThat(m.configSet("maxmemory-policy", "allkeys-lru").get(5, TimeUnit.SECONDS)).isEqualTo("OK");
      assertThat(m.configGet("maxmemory-policy").get(5, TimeUnit.SECONDS))
          .containsEntry("maxmemory-policy", "allkeys-lru");
      assertThat(m.clientKill("TYPE", "pubsub").get(5, TimeUnit.SECONDS)).isZero();

      r.replicaOfNoOne().get(5, TimeUnit.SECONDS);
      assertThat(r.role().get(5, TimeUnit.SECONDS).isMaster()).isTrue();
      r.replicaOf(master.host(), master.port()).get(5, TimeUnit.SECONDS);
      assertThat(r.role().get(5, TimeUnit.SECONDS).isReplica()).isTrue();

      Throwable e = failureOf(m.send("NOSUCHCOMMAND"));
      assertThat(e).isInstanceOf(RespServerException.class).hasMessageContaining("unknown command");
      assertThat(m.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
    }
  }

  /**
   * A command the server refuses while queueing (here an ACL without +client|unpause) aborts the
   * transaction; the failure names that command and the server's reason, which EXECABORT alone
   * does not.
   */
  @Test
  void aTransactionRefusedWhileQueueingNamesTheCommandAndWhy() throws Exception {
    ValkeyServer s = servers.start(ValkeyServer.builder()
        .config("user limited on >limited-pass -@all +hello +auth +ping +multi +exec"));
    try (RespConnection c = connect(to(s).withAuth("limited", "limited-pass"))) {
      Throwable e = failureOf(c.transaction(List.of(RespCommand.of("PING"),
          RespCommand.of("CLIENT", "UNPAUSE"))));
      assertThat(e).isInstanceOf(RespServerException.class)
          .hasMessageStartingWith("EXECABORT CLIENT refused: NOPERM")
          .hasMessageContaining("client|unpause");
      assertThat(((RespServerException) e).code()).isEqualTo("EXECABORT");
      assertThat(c.ping().get(5, TimeUnit.SECONDS)).as("the connection goes on").isEqualTo("PONG");
    }
  }

  @Test
  void killedServerFailsEveryPendingCommandAtOnce() throws Exception {
    ValkeyServer s = servers.start();
    try (RespConnection c = connect(to(s).withCommandTimeout(Duration.ZERO))) {
      List<CompletableFuture<RespValue>> blocked = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        blocked.add(c.send("BLPOP", "never", "0"));
      }
      // Pending means sent and waiting: kill only once the server is blocked on the first (the
      // other four, pipelined behind it on the same connection, wait in its query buffer).
      await().atMost(Duration.ofSeconds(5))
          .until(() -> "1".equals(s.info("clients").get("blocked_clients")));
      s.kill9();
      await().atMost(Duration.ofSeconds(1))
          .until(() -> blocked.stream().allMatch(CompletableFuture::isDone));
      for (CompletableFuture<RespValue> f : blocked) {
        assertThat(failureOf(f)).isInstanceOf(RespConnectionException.class)
            .hasMessageContaining("lost");
      }
      assertThat(failureOf(c.ping())).isInstanceOf(RespConnectionException.class)
          .hasMessageContaining("not connected");
    }
  }

  @Test
  void reconnectsAfterRestartAndRestoresSubscriptions() throws Exception {
    ValkeyServer s = servers.start();
    List<Push> pushes = new CopyOnWriteArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    RespConnection c = client.newConnection(to(s).withReconnect(
        new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200))));
    c.onPush(pushes::add).addListener(new ConnectionListener() {
      @Override
      public void connected(RespConnection connection) {
        events.add("up");
      }

      @Override
      public void disconnected(RespConnection connection, Throwable cause) {
        events.add("down");
      }
    });
    try (c) {
      c.connect().get(10, TimeUnit.SECONDS);
      c.subscribe("news").get(5, TimeUnit.SECONDS);
      s.kill9();
      await().atMost(Duration.ofSeconds(2)).until(() -> !c.isConnected());
      s.restart();
      await().atMost(Duration.ofSeconds(10)).until(c::isConnected);
      assertThat(c.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> s.command("PUBSUB", "NUMSUB", "news").equals(List.of("news", 1L)));
      s.command("PUBLISH", "news", "after-restart");
      await().atMost(Duration.ofSeconds(5)).until(() -> !pushes.isEmpty());
      assertThat(Resp.text(pushes.get(0).get(2))).isEqualTo("after-restart");
      assertThat(events).containsExactly("up", "down", "up");
    }
  }

  @Test
  void commandTimeoutFailsOnlyThatCommand() throws Exception {
    ValkeyServer s = servers.start();
    try (RespConnection c = connect(to(s).withCommandTimeout(Duration.ofMillis(300)))) {
      s.pause();
      Throwable e = failureOf(c.ping());
      assertThat(e).isInstanceOf(RespTimeoutException.class).hasMessageContaining("timed out");
      s.resume();
      // The late PONG is discarded by the timed-out command's slot; the next reply is ours.
      assertThat(c.send("ECHO", "after").thenApply(Resp::text).get(5, TimeUnit.SECONDS))
          .isEqualTo("after");
    }
  }
}
