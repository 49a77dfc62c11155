package dev.vigil.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Counts the writes a reconcile makes: the idempotency tests need zero on the second pass. */
final class CountingApplier implements Applier {
  private final Applier delegate;
  final List<String> writes = new ArrayList<>();

  CountingApplier(Applier delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T extends HasMetadata> T apply(T desired) {
    writes.add("apply " + desired.getKind() + "/" + desired.getMetadata().getName());
    return delegate.apply(desired);
  }

  @Override
  public boolean delete(HasMetadata object) {
    writes.add("delete " + object.getKind() + "/" + object.getMetadata().getName());
    return delegate.delete(object);
  }
}
