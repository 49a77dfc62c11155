package dev.vigil.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Backups of a {@link ValkeyCluster} on a cron schedule, one at a time per cluster, pruned by
 * count and age. The {@link ValkeyBackup}s it creates carry the label {@code vigil.dev/schedule}
 * and no owner reference: deleting the schedule keeps them (and their objects).
 */
@Group("vigil.dev")
@Version("v1alpha1")
@ShortNames({"vkbs"})
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.backup.cluster", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspend", jsonPath = ".spec.suspend", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ValkeyBackupSchedule extends CustomResource<ValkeyBackupScheduleSpec, ValkeyBackupScheduleStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
  /** The label naming the schedule on each backup it created. */
  public static final String LABEL = "vigil.dev/schedule";

  @Override
  protected ValkeyBackupScheduleSpec initSpec() {
    return new ValkeyBackupScheduleSpec();
  }

  @Override
  protected ValkeyBackupScheduleStatus initStatus() {
    return new ValkeyBackupScheduleStatus();
  }
}
