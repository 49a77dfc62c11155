package dev.vigil.sentinel.monitor;

/**
 * Monotonic milliseconds, injected so decisions can be tested and simulated on virtual time. Never
 * the wall clock: a clock jump must not make a node look down or a timeout fire.
 */
@FunctionalInterface
public interface Clock {
  long millis();

  Clock MONOTONIC = () -> System.nanoTime() / 1_000_000L;
}
