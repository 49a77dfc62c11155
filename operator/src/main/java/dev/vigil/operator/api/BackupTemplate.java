package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * What to back up, from which node, to where, and what happens to the objects afterwards: a
 * backup's spec, and a schedule's template for the backups it creates.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupTemplate {
  /** Which node the RDB comes from. */
  public enum Target { preferReplica, master }

  /** What deleting the resource does to the objects in S3. */
  public enum DeletionPolicy { Retain, Delete }

  @Required
  @JsonPropertyDescription("The ValkeyCluster (same namespace) to back up.")
  public String cluster;

  @Default("preferReplica")
  @JsonPropertyDescription("preferReplica: a replica the daemons see linked to the master (its pod "
      + "is Ready), else the master; master: the master only.")
  public Target target = Target.preferReplica;

  @Required
  @JsonPropertyDescription("The S3 bucket and prefix the backup goes to, and how to reach it.")
  public S3Destination destination = new S3Destination();

  @Default("Retain")
  @JsonPropertyDescription("Retain: deleting this resource leaves the objects in S3; Delete: they are "
      + "deleted first (a Job runs `vigil backups delete`).")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonPropertyDescription("Settings of the agent's Job.")
  public BackupJobSpec job = new BackupJobSpec();
}
