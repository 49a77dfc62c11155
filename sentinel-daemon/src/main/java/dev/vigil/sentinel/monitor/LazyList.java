package dev.vigil.sentinel.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists that exist only once something is added: the per-tick decisions of every group start
 * from {@code List.of()} and allocate nothing when they decide nothing.
 */
final class LazyList {
  private LazyList() {}

  /** {@code list} with {@code e} added; a new list when {@code list} is the empty one. */
  static <T> List<T> added(List<T> list, T e) {
    List<T> l = list.isEmpty() ? new ArrayList<>() : list;
    l.add(e);
    return l;
  }
}
