package dev.vigil.sentinel.monitor;

import java.util.List;

/** A new state and the effects that produce it in the outside world. */
public record Transition(GroupState state, List<Effect> effects) {
  public Transition {
    effects = List.copyOf(effects);
  }

  public static Transition none(GroupState s) {
    return new Transition(s, List.of());
  }
}
