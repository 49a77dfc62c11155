package dev.vigil.operator.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outcome of the commands sent to each cluster, per slot: the memory between a command sent
 * by one reconcile and the next reconcile, which its completion triggers. In memory only: every
 * command is idempotent and a new operator simply sends again what it does not know to be done;
 * what must survive a restart is in {@link Decisions}.
 */
public final class CommandLedger {
  public enum State { IN_FLIGHT, DONE, FAILED }

  /** The last command in a slot: what it set, how it went, when (epoch ms) it started or ended. */
  public record Outcome(String value, State state, long at) {}

  private final Map<String, Map<String, Outcome>> byCluster = new ConcurrentHashMap<>();

  /** An immutable copy of a cluster's outcomes, for a snapshot. */
  public Map<String, Outcome> view(String cluster) {
    Map<String, Outcome> m = byCluster.get(cluster);
    return m == null ? Map.of() : Map.copyOf(m);
  }

  public void started(String cluster, String slot, String value, long now) {
    slots(cluster).put(slot, new Outcome(value, State.IN_FLIGHT, now));
  }

  /** Records a result, unless a later command took the slot meanwhile. */
  public void finished(String cluster, String slot, String value, boolean ok, long now) {
    slots(cluster).computeIfPresent(slot, (k, o) -> o.value().equals(value) && o.state() == State.IN_FLIGHT
        ? new Outcome(value, ok ? State.DONE : State.FAILED, now) : o);
  }

  public void forget(String cluster) {
    byCluster.remove(cluster);
  }

  private Map<String, Outcome> slots(String cluster) {
    return byCluster.computeIfAbsent(cluster, k -> new ConcurrentHashMap<>());
  }
}
