package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.client.ReconnectPolicy;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.Transport;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.TlsPorts;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Groups on one loop reach a peer over one connection and share a PING that is waiting for its
 * reply; the connection's ups and downs reach each of them. The peer here is a plain server: what
 * is shared is the connection, whatever answers on it.
 */
class SharedPeerLinksTest {
  private static final String NAME = "vigil-sharedtest-peer";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  private final EventLoopGroup loops = Transport.preferred().newGroup(2);

  @AfterEach
  void shutDown() {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void groupsOnALoopShareOneConnectionAndAPingInFlight() throws Exception {
    ValkeyServer peer = servers.start(ValkeyServer.builder());
    Address a = new Address(peer.host(), peer.port());
    EventLoop loop = loops.next();
    SharedPeerLinks links = new SharedPeerLinks();
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    LinkIo one = links.open(loop, a, options(peer, 5_000), TlsPorts.NONE, first);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.ups.get() == 1);
    // Joins a connection that is already up: told so at once.
    LinkIo two = links.open(loop, a, options(peer, 5_000), TlsPorts.NONE, second);
    assertThat(second.ups.get()).isEqualTo(1);
    assertThat(links.connections()).isEqualTo(1);
    // One for PINGs and hellos, one for the asks and votes that a peer answers after an fsync.
    await().atMost(Duration.ofSeconds(10)).until(() -> clients(peer) == 2);

    long before = pings(peer);
    // As the groups' ticks run: both on the loop, in one task.
    List<Boolean> replies = onLoop(loop, () -> {
      CompletableFuture<Boolean> p1 = one.ping().toCompletableFuture();
      CompletableFuture<Boolean> p2 = two.ping().toCompletableFuture();
      return p1.thenCombine(p2, List::of);
    });
    assertThat(replies).containsExactly(true, true);
    assertThat(pings(peer)).isEqualTo(before + 1);
    // A PING whose reply has come is not shared: the next one goes out.
    assertThat(onLoop(loop, () -> two.ping().toCompletableFuture())).isTrue();
    assertThat(pings(peer)).isEqualTo(before + 2);

    // Another down-after shapes another connection (timeouts, reconnects).
    Recorder other = new Recorder();
    LinkIo three = links.open(loop, a, options(peer, 1_000), TlsPorts.NONE, other);
    await().atMost(Duration.ofSeconds(10)).until(() -> other.ups.get() == 1);
    assertThat(links.connections()).isEqualTo(2);
    three.close().toCompletableFuture().get(5, TimeUnit.SECONDS);

    // The connection outlives the first group to leave, not the last.
    one.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(links.connections()).isEqualTo(1);
    assertThat(onLoop(loop, () -> two.ping().toCompletableFuture())).isTrue();
    peer.command("CLIENT", "KILL", "TYPE", "normal");
    await().atMost(Duration.ofSeconds(10)).until(() -> second.downs.get() == 1
        && second.ups.get() == 2);
    assertThat(first.downs.get()).as("a group that left hears nothing more").isZero();
    two.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(links.connections()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> clients(peer) == 0);
  }

  /**
   * A peer that refused our first greeting (a wrong sentinel-pass) gave up the connection for
   * good; once fixed, a group opening it again gets a new connection rather than the dead one.
   */
  @Test
  void aConnectionThePeerRefusedIsNotJoinedAgain() throws Exception {
    ValkeyServer peer = servers.start(ValkeyServer.builder().password("right-one"));
    Address a = new Address(peer.host(), peer.port());
    EventLoop loop = loops.next();
    SharedPeerLinks links = new SharedPeerLinks();
    RespClientOptions options = options(peer, 5_000).withAuth(null, "wrong-one");
    Recorder first = new Recorder();
    LinkIo one = links.open(loop, a, options, TlsPorts.NONE, first);
    await().atMost(Duration.ofSeconds(10)).until(() -> links.refused() == 1);
    peer.command("CONFIG", "SET", "requirepass", "wrong-one"); // the peer's side, fixed
    Recorder second = new Recorder();
    LinkIo two = links.open(loop, a, options, TlsPorts.NONE, second);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.ups.get() == 1);
    assertThat(onLoop(loop, () -> two.ping().toCompletableFuture())).isTrue();
    assertThat(first.ups.get()).isZero();
    one.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    two.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(links.connections()).isZero();
  }

  private static RespClientOptions options(ValkeyServer peer, long downAfterMs) {
    return RespClientOptions.of(peer.host(), peer.port()).withClientName(NAME)
        .withCommandTimeout(Duration.ofMillis(Math.max(1_000, downAfterMs)))
        .withReconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(250)));
  }

  private static <T> T onLoop(EventLoop loop,
      java.util.function.Supplier<CompletableFuture<T>> work) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    loop.execute(() -> work.get().whenComplete((v, e) -> {
      if (e != null) {
        out.completeExceptionally(e);
      } else {
        out.complete(v);
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private static long pings(ValkeyServer server) {
    String stat = server.info("commandstats").getOrDefault("cmdstat_ping", "calls=0,");
    return Long.parseLong(stat.substring("calls=".length(), stat.indexOf(',')));
  }

  private static long clients(ValkeyServer server) {
    return ((String) server.command("CLIENT", "LIST")).lines()
        .filter(l -> l.contains(" name=" + NAME + " ")).count();
  }

  private static final class Recorder implements LinkIo.Events {
    final AtomicInteger ups = new AtomicInteger();
    final AtomicInteger downs = new AtomicInteger();

    @Override
    public void linkUp(Address address) {
      ups.incrementAndGet();
    }

    @Override
    public void linkDown(Address address) {
      downs.incrementAndGet();
    }

    @Override
    public void helloReceived(String payload) {}
  }
}
