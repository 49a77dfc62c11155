package dev.vigil.sentinel.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preStop hand-over keeps its deadline on the daemon's injected clock, as every other
 * timeout of the daemon: on a clock that runs a thousand times faster than the wall, a
 * ten-minute timeout with no replica to hand over to ends in well under the HTTP client's
 * 30 s patience (on the wall clock it would take the ten minutes).
 */
class PreStopClockTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  @Test
  void theHandOverDeadlineIsMeasuredOnTheDaemonsClock() throws Exception {
    ValkeyServer master = servers.start();
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, TestDaemons.hocon("mymaster", master, 1, 5_000,
        "http-port = " + freePort()));
    long base = Clock.MONOTONIC.millis();
    Clock fast = () -> base + (Clock.MONOTONIC.millis() - base) * 1_000;
    try (SentinelDaemon d = new SentinelDaemon(ConfigLoader.load(conf, Map.of()), fast).start()) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      URI uri = URI.create("http://127.0.0.1:" + d.httpPort() + "/prestop?group=mymaster&host="
          + master.host() + "&port=" + master.port() + "&timeout-ms=" + Duration.ofMinutes(10).toMillis());
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("no switchover within the timeout");
      assertThat(d.group("mymaster").masterAddress().port()).isEqualTo(master.port());
    }
  }

  private static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }
}
