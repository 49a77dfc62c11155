package dev.vigil.e2e;

/** A {@code +switch-master} a watcher published: from node {@code from} to node {@code to}. */
record SwitchEvent(int watcher, String from, String to, long atNanos) {}
