package dev.vigil.e2e.history;

/**
 * One acknowledged write: {@code value} was appended by {@code writer} on {@code node}, which
 * replied OK at {@code atNanos} (System.nanoTime); {@code waited} when {@code WAIT 1} then
 * confirmed a replica had it.
 */
public record Ack(String writer, String value, String node, long atNanos, boolean waited) {}
