package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Writes a desired object. Production uses server-side apply (the operator owns exactly the
 * fields it sets, other controllers keep theirs); fabric8's mock server does not implement it, so
 * tests use the create-or-replace implementation of the same interface.
 */
public interface Applier {
  /** Creates or updates {@code desired}; returns what the server now holds. */
  <T extends HasMetadata> T apply(T desired);

  /** Deletes the object if it exists; true when it did. */
  boolean delete(HasMetadata object);
}
