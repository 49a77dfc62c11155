package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The daemon's port under bad input, auth, inline commands, pub/sub; and the HTTP endpoints. */
class DaemonPortTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  private SentinelDaemon daemon(String extra) {
    ValkeyServer master = servers.start();
    return daemons.start(TestDaemons.hocon("mymaster", master, 1, 1_000, extra));
  }

  private static String error(AdminConnection c, String... args) {
    try {
      Object reply = c.command(args);
      return "no error: " + reply;
    } catch (AdminConnection.ServerErrorException e) {
      return e.getMessage();
    } catch (IOException e) {
      return "io: " + e.getMessage();
    }
  }

  @Test
  void errorsAreSentinelsAndTheDaemonSurvivesThem() throws IOException {
    SentinelDaemon d = daemon("");
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThat(error(c, "GET", "k")).isEqualTo("ERR unknown command 'GET', with args beginning with: 'k' ");
      assertThat(error(c, "SENTINEL", "MASTER")).isEqualTo("ERR wrong number of arguments for 'sentinel|master' command");
      assertThat(error(c, "SENTINEL", "MASTER", "nope")).isEqualTo("ERR No such master with that name");
      assertThat(error(c, "SENTINEL", "NOPE")).startsWith("ERR unknown subcommand 'NOPE'");
      assertThat(error(c, "PING", "a", "b")).isEqualTo("ERR wrong number of arguments for 'ping' command");
      assertThat(error(c, "AUTH", "x")).startsWith("ERR AUTH <password> called without any password");
      assertThat(error(c, "PUBLISH", "ch", "x")).isEqualTo("ERR Only HELLO messages are accepted by Sentinel instances.");
      assertThat(error(c, "SENTINEL", "MONITOR", "m2", "127.0.0.1", "1", "0")).isEqualTo("ERR Quorum must be 1 or greater.");
      assertThat(error(c, "SENTINEL", "MONITOR", "mymaster", "127.0.0.1", "1", "1")).isEqualTo("ERR Duplicate master name.");
      assertThat(error(c, "SENTINEL", "SET", "mymaster", "quorum", "x")).isEqualTo("ERR Invalid argument 'x' for SENTINEL SET 'quorum'");
      assertThat(c.command("PING")).isEqualTo("PONG");
    }
    for (String garbage : List.of("*2\r\n$4\r\nPING\r\n$-5\r\n", "$abc\r\n", "*1\r\n:1\r\n")) {
      try (Socket s = new Socket("127.0.0.1", d.port())) {
        s.setSoTimeout(2_000);
        s.getOutputStream().write(garbage.getBytes(StandardCharsets.ISO_8859_1));
        String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(reply).as("reply to %s", garbage).startsWith("-ERR Protocol error");
      }
    }
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThat(c.command("SENTINEL", "MYID")).isEqualTo(d.myId());
    }
  }

  /** What a peer that lost its state asks before it ends its quarantine early. */
  @Test
  void vigilEpochAnswersTheRunIdAndTheCurrentEpoch() throws IOException {
    SentinelDaemon d = daemon("");
    d.adoptEpoch(7);
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThat(c.command("SENTINEL", "VIGIL-EPOCH")).isEqualTo(List.of(d.myId(), 7L, List.of()));
      assertThat(error(c, "SENTINEL", "VIGIL-EPOCH", "x"))
          .isEqualTo("ERR wrong number of arguments for 'sentinel|vigil-epoch' command");
      assertThat((List<?>) c.command("SENTINEL", "HELP")).anySatisfy(line ->
          assertThat(line.toString()).startsWith("VIGIL-EPOCH"));
    }
  }

  @Test
  void inlineCommandsWorkLikeRedisCli() throws IOException {
    SentinelDaemon d = daemon("");
    try (Socket s = new Socket("127.0.0.1", d.port())) {
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("PING\r\nsentinel get-master-addr-by-name mymaster\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[256];
      StringBuilder sb = new StringBuilder();
      while (!sb.toString().matches("(?s)\\+PONG\r\n\\*2\r\n.*\r\n.*\r\n.*\r\n.*\r\n")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      assertThat(sb.toString()).startsWith("+PONG\r\n*2\r\n$9\r\n127.0.0.1\r\n");
    }
  }

  @Test
  void requirepassGuardsTheDaemonPort() throws IOException {
    SentinelDaemon d = daemon("requirepass = \"s3cret\"");
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThat(error(c, "SENTINEL", "MASTERS")).isEqualTo("NOAUTH Authentication required.");
      assertThat(error(c, "AUTH", "wrong")).startsWith("WRONGPASS");
      assertThat(c.command("AUTH", "s3cret")).isEqualTo("OK");
      assertThat(c.command("SENTINEL", "MYID")).isEqualTo(d.myId());
    }
  }

  @Test
  void clientCommandsAndRuntimeGroupChanges() throws IOException {
    SentinelDaemon d = daemon("");
    ValkeyServer other = servers.start(ValkeyServer.builder().name("other"));
    try (AdminConnection c = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      assertThat(c.command("CLIENT", "SETNAME", "tester")).isEqualTo("OK");
      assertThat(c.command("CLIENT", "GETNAME")).isEqualTo("tester");
      assertThat((String) c.command("CLIENT", "LIST")).contains("name=tester");
      assertThat(c.command("SENTINEL", "MONITOR", "other", other.host(),
          Integer.toString(other.port()), "1")).isEqualTo("OK");
      assertThat(c.command("SENTINEL", "SET", "other", "down-after-milliseconds", "1234")).isEqualTo("OK");
      @SuppressWarnings("unchecked")
      List<Object> m = (List<Object>) c.command("SENTINEL", "MASTER", "other");
      assertThat(m.get(m.indexOf("down-after-milliseconds") + 1)).isEqualTo("1234");
      assertThat(c.command("SENTINEL", "RESET", "oth*")).isEqualTo(1L);
      assertThat(c.command("SENTINEL", "REMOVE", "other")).isEqualTo("OK");
      assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "other")).isNull();
      assertThat(c.command("SENTINEL", "DEBUG", "ping-period", "300")).isEqualTo("OK");
      @SuppressWarnings("unchecked")
      List<Object> debug = (List<Object>) c.command("SENTINEL", "DEBUG");
      assertThat(debug.get(debug.indexOf("PING-PERIOD") + 1)).isEqualTo("300");
      // The timeouts the daemon really uses (vigil.failover), not Sentinel's numbers.
      assertThat(debug.get(debug.indexOf("ELECTION-TIMEOUT") + 1)).isEqualTo(
          Long.toString(d.failoverSettings().electionTimeoutMs()));
      assertThat(debug.get(debug.indexOf("SLAVE-RECONF-TIMEOUT") + 1)).isEqualTo(
          Long.toString(d.failoverSettings().reconfSentTimeoutMs()));
      @SuppressWarnings("unchecked")
      List<Object> cfg = (List<Object>) c.command("SENTINEL", "CONFIG", "GET", "*");
      assertThat(cfg).contains("resolve-hostnames", "announce-ip");
      assertThat(c.command("SENTINEL", "FLUSHCONFIG")).isEqualTo("OK");
    }
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    int httpPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      httpPort = s.getLocalPort();
    }
    SentinelDaemon d = daemon("http-port = " + httpPort);
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + d.httpPort());
    await().atMost(Duration.ofSeconds(5)).until(() -> http.send(
        HttpRequest.newBuilder(base.resolve("/readyz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("vigil_node_link_up{", "vigil_current_epoch", "vigil_node_sdown{",
        "vigil_known_sentinels{master=\"mymaster\"}");
  }
}
