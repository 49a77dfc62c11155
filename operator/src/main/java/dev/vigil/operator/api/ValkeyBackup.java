package dev.vigil.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One backup of a {@link ValkeyCluster} to S3, taken once by a Job running the backup agent
 * ({@code vigil backup}). Its spec does not change after creation; its status says how it went.
 */
@Group("vigil.dev")
@Version("v1alpha1")
@ShortNames({"vkb"})
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ValkeyBackup extends CustomResource<ValkeyBackupSpec, ValkeyBackupStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** Set while the objects in S3 must be deleted with the resource (deletionPolicy Delete). */
  public static final String FINALIZER = "vigil.dev/backup-objects";

  @Override
  protected ValkeyBackupSpec initSpec() {
    return new ValkeyBackupSpec();
  }

  @Override
  protected ValkeyBackupStatus initStatus() {
    return new ValkeyBackupStatus();
  }
}
