package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.Masters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The daemons' view as a test says it is: which master they agree on, per cluster. */
public final class FakeMasters implements Masters {
  private final Map<String, HostPort> agreed = new ConcurrentHashMap<>();
  private final Map<String, List<HostPort>> daemons = new ConcurrentHashMap<>();
  public final Set<String> watched = ConcurrentHashMap.newKeySet();
  private volatile BiConsumer<String, HostPort> listener = (k, m) -> { };
  private volatile HostPort everyone;

  /** Tells {@code listener} of each master {@link #elect} reports, as the tracker would. */
  public FakeMasters listener(BiConsumer<String, HostPort> l) {
    this.listener = l;
    return this;
  }

  /** For clusters no test elected for: this master (null: none agreed). */
  public FakeMasters everyone(HostPort m) {
    this.everyone = m;
    return this;
  }

  public void elect(String key, HostPort master) {
    agreed.put(key, master);
    listener.accept(key, master);
  }

  public List<HostPort> daemons(String key) {
    return daemons.getOrDefault(key, List.of());
  }

  @Override
  public void watch(String key, String masterName, String password, List<HostPort> d, int quorum) {
    watched.add(key);
    daemons.put(key, List.copyOf(d));
  }

  @Override
  public Optional<HostPort> master(String key) {
    HostPort m = agreed.get(key);
    return Optional.ofNullable(m != null ? m : everyone);
  }

  @Override
  public Optional<String> disagreement(String key) {
    return Optional.empty();
  }

  @Override
  public void forget(String key) {
    agreed.remove(key);
    watched.remove(key);
  }

  @Override
  public void close() {}
}
