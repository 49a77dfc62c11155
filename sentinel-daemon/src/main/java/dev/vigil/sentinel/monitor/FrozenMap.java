package dev.vigil.sentinel.monitor;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An insertion-ordered map that nobody can change, which the state records recognise so that
 * passing one on does not copy it again: a group's state is rebuilt on every ping sent and every
 * reply, and copying its replica and peer maps each time was a fifth of what a daemon watching
 * 500 groups allocated.
 */
final class FrozenMap<K, V> extends AbstractMap<K, V> {
  private final Map<K, V> view;

  private FrozenMap(Map<K, V> copy) {
    this.view = Collections.unmodifiableMap(copy);
  }

  /** {@code m} itself when it is already frozen, else a frozen copy (order kept). */
  static <K, V> Map<K, V> of(Map<K, V> m) {
    return m instanceof FrozenMap<K, V> f ? f : new FrozenMap<>(new LinkedHashMap<>(m));
  }

  @Override
  public V get(Object key) {
    return view.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return view.containsKey(key);
  }

  @Override
  public int size() {
    return view.size();
  }

  @Override
  public boolean isEmpty() {
    return view.isEmpty();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return view.entrySet();
  }

  @Override
  public Set<K> keySet() {
    return view.keySet();
  }

  @Override
  public Collection<V> values() {
    return view.values();
  }

  @Override
  public void forEach(BiConsumer<? super K, ? super V> action) {
    view.forEach(action);
  }
}
