package dev.vigil.e2e.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault proxy in front of a real server: each fault as a client and the server see it. */
class FaultProxyTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  private final SocketOwners owners = new SocketOwners();
  private EventLoopGroup group;
  private ValkeyServer server;
  private FaultProxy proxy;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = servers.start();
    owners.registerAddress("127.0.0.2", "client-a");
    owners.registerAddress("127.0.0.3", "client-b");
    proxy = FaultProxy.start("server", new InetSocketAddress(server.host(), server.port()),
        owners, group);
  }

  @AfterEach
  void stop() {
    proxy.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  private AdminConnection through(String from, int timeoutMs) throws IOException {
    return new AdminConnection("127.0.0.1", proxy.port(), timeoutMs, from);
  }

  @Test
  void forwardsCommandsBothWays() throws IOException {
    try (AdminConnection c = through("127.0.0.2", 2_000)) {
      assertThat(c.command("SET", "k", "v")).isEqualTo("OK");
      assertThat(c.command("GET", "k")).isEqualTo("v");
    }
  }

  /** A partition: no reply and no error (no RST, no FIN); on heal the held bytes arrive. */
  @Test
  void aCutHoldsBytesSilentlyAndDeliversThemOnHeal() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
      s.setSoTimeout(300);
      assertThat(roundTrip(s, "PING")).isEqualTo("+PONG");
      proxy.everyone().cut();
      proxy.changed();
      s.getOutputStream().write(resp("SET", "held", "1"));
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.command("EXISTS", "held")).isEqualTo(0L);
      proxy.healAll();
      s.setSoTimeout(5_000);
      assertThat(readLine(s.getInputStream())).isEqualTo("+OK");
      assertThat(server.command("GET", "held")).isEqualTo("1");
    }
  }

  /** Cut towards the server only: its replies would flow, but it gets nothing to reply to. */
  @Test
  void oneWayCutsAreOneWay() throws IOException {
    try (AdminConnection c = through("127.0.0.2", 300)) {
      assertThat(c.command("PING")).isEqualTo("PONG");
      proxy.from("client-a").cutFromTarget();
      proxy.changed();
      // The command reaches the server (it is applied), its reply does not come back.
      assertThatThrownBy(() -> c.command("SET", "oneway", "1"))
          .isInstanceOf(SocketTimeoutException.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(server.command("GET", "oneway")));
    }
    proxy.healAll();
    try (AdminConnection c = through("127.0.0.2", 300)) {
      proxy.from("client-a").cutToTarget();
      proxy.changed();
      assertThatThrownBy(() -> c.command("SET", "never", "1"))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(server.command("EXISTS", "never")).isEqualTo(0L);
    }
  }

  /** Faults are per source: client A is cut off, client B (same process) is not. */
  @Test
  void faultsApplyPerSource() throws IOException {
    proxy.from("client-a").cut();
    try (AdminConnection a = through("127.0.0.2", 300);
        AdminConnection b = through("127.0.0.3", 2_000)) {
      assertThat(b.command("PING")).isEqualTo("PONG");
      assertThatThrownBy(() -> a.command("PING")).isInstanceOf(SocketTimeoutException.class);
    }
  }

  /** A replica (another process) is attributed by the socket it holds. */
  @Test
  void attributesConnectionsToTheProcessHoldingThem() {
    ValkeyServer replica = servers.start();
    owners.registerProcess(replica.pid(), "replica");
    proxy.from("replica").cut();
    replica.command("REPLICAOF", "127.0.0.1", Integer.toString(proxy.port()));
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openSources().contains("replica"));
    assertThat(replica.info("replication").get("master_link_status")).isEqualTo("down");
    proxy.healAll();
    replica.awaitReplicationLinkUp();
    assertThat(server.info("replication").get("connected_slaves")).isEqualTo("1");
  }

  @Test
  void addsLatencyAndLimitsBandwidth() throws IOException {
    proxy.everyone().latency(100, 20);
    try (AdminConnection c = through("127.0.0.2", 5_000)) {
      long t0 = System.nanoTime();
      c.command("PING");
      // Both directions are delayed: at least 200 ms per round trip (a lower bound only).
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
    proxy.healAll();
    proxy.everyone().bandwidth(100_000);
    try (AdminConnection c = through("127.0.0.2", 10_000)) {
      long t0 = System.nanoTime();
      c.command("SET", "big", "x".repeat(200_000));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }
  }

  @Test
  void resetsConnections() throws IOException {
    try (AdminConnection c = through("127.0.0.2", 2_000)) {
      assertThat(c.command("PING")).isEqualTo("PONG");
      proxy.resetAll();
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 0);
      assertThatThrownBy(() -> c.command("PING")).isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
    }
  }

  private static String roundTrip(Socket s, String... args) throws IOException {
    s.getOutputStream().write(resp(args));
    return readLine(s.getInputStream());
  }

  private static byte[] resp(String... args) {
    StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }
}
