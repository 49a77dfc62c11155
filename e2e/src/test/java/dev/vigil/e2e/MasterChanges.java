package dev.vigil.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts failovers as one daemon reports them: polls its GET-MASTER-ADDR-BY-NAME every 50 ms and
 * records each change of the node it names (a missed answer is not a change).
 */
final class MasterChanges implements Runnable, AutoCloseable {
  private final ProxiedGroup group;
  private final int daemon;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<String> sequence = new ArrayList<>();
  private final List<Long> changedAt = new ArrayList<>();
  private final Thread thread;

  MasterChanges(ProxiedGroup group, int daemon) {
    this.group = group;
    this.daemon = daemon;
    this.thread = new Thread(this, "master-changes");
    thread.start();
  }

  @Override
  public void run() {
    while (!stop.get()) {
      String m = group.reportedBy(daemon);
      synchronized (sequence) {
        if (m != null && (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(m))) {
          sequence.add(m);
          changedAt.add(System.nanoTime());
        }
      }
      try {
        Thread.sleep(50); // a polling period, not a synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The masters reported, in order (n0 first). */
  List<String> sequence() {
    synchronized (sequence) {
      return List.copyOf(sequence);
    }
  }

  /** When each entry of {@link #sequence()} was first seen (System.nanoTime). */
  List<Long> changedAt() {
    synchronized (sequence) {
      return List.copyOf(changedAt);
    }
  }

  int failovers() {
    return Math.max(0, sequence().size() - 1);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(5_000);
  }
}
