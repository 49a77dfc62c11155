package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * Everything one reconcile of a {@link ValkeyBackup} decides from, read once.
 *
 * @param cluster the cluster it names, or null when there is none
 * @param clusterPods the cluster's pods
 * @param masterPod the pod the daemons agree is master (else the one last recorded), or null
 * @param job the backup Job, or null
 * @param jobPods the backup Job's pods (their termination messages carry the agent's result)
 * @param deleteJob the Job deleting the objects, or null
 * @param deleteJobPods its pods
 * @param now epoch milliseconds
 */
record BackupSnapshot(ValkeyBackup backup, ValkeyCluster cluster, List<Pod> clusterPods, String masterPod,
    Job job, List<Pod> jobPods, Job deleteJob, List<Pod> deleteJobPods, long now) {
  BackupSnapshot {
    clusterPods = List.copyOf(clusterPods);
    jobPods = List.copyOf(jobPods);
    deleteJobPods = List.copyOf(deleteJobPods);
  }
}
