package dev.vigil.operator.master;

import dev.vigil.resp3.client.RespClient;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One {@link GroupWatch} per ValkeyCluster (keyed namespace/name): the reconciler says which
 * daemons each cluster has; the listener hears each master the daemons agree on, at once.
 */
public final class MasterTracker implements Masters {
  private final RespClient client;
  private final TlsLinks tls;
  private final EventLoopGroup loops;
  private final BiConsumer<String, HostPort> listener;
  private final Duration resync;
  private final Map<String, GroupWatch> watches = new ConcurrentHashMap<>();

  public MasterTracker(EventLoopGroup loops, BiConsumer<String, HostPort> listener, Duration resync) {
    this(loops, listener, resync, new TlsLinks());
  }

  public MasterTracker(EventLoopGroup loops, BiConsumer<String, HostPort> listener, Duration resync,
      TlsLinks tls) {
    this.tls = tls;
    this.client = new RespClient(loops);
    this.loops = loops;
    this.listener = listener;
    this.resync = resync;
  }

  @Override
  public void watch(String key, String masterName, String password, List<HostPort> daemons,
      int quorum) {
    GroupWatch w = watches.computeIfAbsent(key, k -> new GroupWatch(client, loops.next(), masterName,
        password, m -> listener.accept(key, m), resync, tls));
    w.quorum(quorum);
    w.daemons(daemons);
  }

  @Override
  public Optional<HostPort> master(String key) {
    GroupWatch w = watches.get(key);
    return w == null ? Optional.empty() : w.agreed();
  }

  @Override
  public Optional<String> disagreement(String key) {
    GroupWatch w = watches.get(key);
    return w == null ? Optional.empty() : w.disagreement();
  }

  @Override
  public void forget(String key) {
    GroupWatch w = watches.remove(key);
    if (w != null) {
      w.close();
    }
  }

  @Override
  public void close() {
    watches.values().forEach(GroupWatch::close);
    watches.clear();
  }
}
