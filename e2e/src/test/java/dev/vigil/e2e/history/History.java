package dev.vigil.e2e.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What the writers of a run saw acknowledged, in the order they saw it. */
public final class History {
  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();

  public void record(Ack ack) {
    acks.add(ack);
  }

  public List<Ack> acks() {
    return new ArrayList<>(acks);
  }

  public long count(String node) {
    return acks.stream().filter(a -> a.node().equals(node)).count();
  }

  public int size() {
    return acks.size();
  }
}
