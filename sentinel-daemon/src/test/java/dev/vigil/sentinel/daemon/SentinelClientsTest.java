package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/** Real Sentinel-aware clients find the master through the daemons, unchanged. */
class SentinelClientsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  private List<SentinelDaemon> group(ValkeyServer master) {
    List<SentinelDaemon> ds = daemons.startGroup(3, "mymaster", master, 2, 1_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.stream()
        .allMatch(d -> d.group("mymaster").peers().size() == 2));
    return ds;
  }

  @Test
  void jedisSentinelPoolResolvesTheMaster() {
    List<ValkeyServer> nodes = servers.startGroup(1);
    List<SentinelDaemon> ds = group(nodes.get(0));
    Set<HostAndPort> sentinels = ds.stream().map(d -> new HostAndPort("127.0.0.1", d.port()))
        .collect(Collectors.toSet());
    try (JedisSentinelPool pool = new JedisSentinelPool("mymaster", sentinels,
        DefaultJedisClientConfig.builder().build(), DefaultJedisClientConfig.builder().build());
        Jedis jedis = pool.getResource()) {
      assertThat(pool.getCurrentHostMaster().getPort()).isEqualTo(nodes.get(0).port());
      jedis.set("k", "from-jedis");
      assertThat(jedis.get("k")).isEqualTo("from-jedis");
    }
  }

  @Test
  void lettuceSentinelUriResolvesTheMasterOverResp3() {
    List<ValkeyServer> nodes = servers.startGroup(1);
    List<SentinelDaemon> ds = group(nodes.get(0));
    RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId("mymaster");
    ds.forEach(d -> uri.withSentinel("127.0.0.1", d.port()));
    RedisClient client = RedisClient.create(uri.build());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().set("k", "from-lettuce");
      assertThat(c.sync().get("k")).isEqualTo("from-lettuce");
      assertThat(c.sync().info("server")).contains("tcp_port:" + nodes.get(0).port());
    } finally {
      client.shutdown();
    }
  }
}
