package dev.vigil.sentinel.state;

import dev.vigil.sentinel.config.Address;

/** A peer daemon as remembered across restarts: where it was and its run id. */
public record KnownSentinel(Address address, String runId) {}
