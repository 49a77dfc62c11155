package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which socket transport a client uses, and that both carry commands and pushes. */
class TransportTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();

  @Test
  void theSettingChoosesAndAutoPrefersEpollWhereItLoads() {
    assertThat(Transport.choose("auto", () -> null)).isEqualTo(Transport.EPOLL);
    assertThat(Transport.choose("", () -> new UnsatisfiedLinkError("no lib")))
        .isEqualTo(Transport.NIO);
    assertThat(Transport.choose("NIO", () -> null)).isEqualTo(Transport.NIO);
    assertThat(Transport.choose(" epoll ", () -> null)).isEqualTo(Transport.EPOLL);
  }

  @Test
  void epollRequiredWhereItCannotLoadOrAnUnknownSettingFailsInOneLine() {
    assertThatThrownBy(() -> Transport.choose("epoll",
        () -> new UnsatisfiedLinkError("libnetty_transport_native_epoll_x86_64.so: noexec")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vigil.transport=epoll but Netty's native epoll transport cannot be used "
            + "here: java.lang.UnsatisfiedLinkError: libnetty_transport_native_epoll_x86_64.so: "
            + "noexec");
    assertThatThrownBy(() -> Transport.choose("kqueue", () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vigil.transport must be auto, epoll or nio, not 'kqueue'");
  }

  /** A wrong setting is an ordinary exception the daemon reports in one line, every time asked. */
  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void aWrongSettingFailsEachTimeItIsAskedWithoutAStaticInitializerError() {
    String before = System.getProperty(Transport.PROPERTY);
    System.setProperty(Transport.PROPERTY, "iouring");
    try {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(Transport::preferred).isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("vigil.transport must be auto, epoll or nio, not 'iouring'");
      }
      System.setProperty(Transport.PROPERTY, "nio");
      assertThat(Transport.preferred()).isEqualTo(Transport.NIO);
    } finally {
      if (before == null) {
        System.clearProperty(Transport.PROPERTY);
      } else {
        System.setProperty(Transport.PROPERTY, before);
      }
    }
  }

  /** The build ships the native library for this platform: a packaging slip would show here. */
  @Test
  void theNativeTransportLoadsOnLinuxX8664() {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
        && System.getProperty("os.arch").equals("amd64")
        && System.getProperty(Transport.PROPERTY, "auto").equals("auto"),
        "native epoll ships for linux-x86_64 and is preferred unless vigil.transport says otherwise");
    assertThat(Epoll.isAvailable()).as("%s", Epoll.unavailabilityCause()).isTrue();
    assertThat(Transport.preferred()).isEqualTo(Transport.EPOLL);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aClientOnEitherTransportSendsCommandsAndReceivesPushes(Transport transport)
      throws Exception {
    assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(),
        () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
    ValkeyServer s = servers.start(ValkeyServer.builder());
    EventLoopGroup group = transport.newGroup(1);
    try (RespClient client = new RespClient(group);
        RespConnection sub = client.connect(RespClientOptions.of(s.host(), s.port()))
            .get(10, TimeUnit.SECONDS);
        RespConnection pub = client.connect(RespClientOptions.of(s.host(), s.port()))
            .get(10, TimeUnit.SECONDS)) {
      assertThat(Transport.of(group)).isEqualTo(transport);
      CompletableFuture<Push> received = new CompletableFuture<>();
      sub.onPush(received::complete);
      sub.subscribe("news").get(5, TimeUnit.SECONDS);
      assertThat(pub.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      assertThat(pub.publish("news", "hello").get(5, TimeUnit.SECONDS)).isEqualTo(1L);
      assertThat(Resp.text(received.get(5, TimeUnit.SECONDS).get(2))).isEqualTo("hello");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
