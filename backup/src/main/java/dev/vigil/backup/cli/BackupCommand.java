package dev.vigil.backup.cli;

import dev.vigil.backup.agent.BackupAgent;
import dev.vigil.backup.agent.BackupFailure;
import dev.vigil.backup.agent.BackupRequest;
import dev.vigil.backup.agent.PartSizing;
import dev.vigil.backup.agent.Progress;
import dev.vigil.backup.agent.UploadGuard;
import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.backup.s3.BackupStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Takes an RDB of a node over the replication protocol and streams it to S3.",
        "The manifest (PREFIX/ID.manifest.json) is written last: no manifest, no backup. A failed "
            + "or stopped backup aborts its upload."},
    footer = {"", "Example:",
        "  vigil backup --node 10.0.0.6:6379 --cluster orders --s3-endpoint https://minio:9000 \\",
        "    --path-style --bucket backups --prefix valkey/orders"})
final class BackupCommand implements Callable<Integer> {
  @Mixin NodeOptions node;
  @Mixin S3Options s3;

  @Option(names = "--prefix", defaultValue = "", paramLabel = "P",
      description = "Key prefix in the bucket (default: none).")
  String prefix;

  @Option(names = "--cluster", description = "Cluster name for the manifest and the backup id "
      + "(default: the node's address).")
  String cluster;

  @Option(names = "--part-size-mib", defaultValue = "8",
      description = "Multipart part size in MiB, at least 5 (default: ${DEFAULT-VALUE}).")
  int partSizeMib;

  @Option(names = "--upload-threads", defaultValue = "2",
      description = "Parts uploading at once (default: ${DEFAULT-VALUE}); memory holds one part "
          + "more than this.")
  int uploadThreads;

  @Option(names = "--max-rate-mib", defaultValue = "0",
      description = "Cap on the transfer rate in MiB/s, 0 for none (default: ${DEFAULT-VALUE}).")
  double maxRateMib;

  @Option(names = "--progress-interval-s", defaultValue = "5",
      description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  int progressSeconds;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table or json (the manifest); default: ${DEFAULT-VALUE}.")
  Output output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (partSizeMib < PartSizing.MIN_PART >> 20 || uploadThreads < 1 || uploadThreads > 16) {
      err.println("vigil backup: --part-size-mib must be at least 5 and --upload-threads 1 to 16");
      return 2;
    }
    BackupRequest req;
    try {
      req = new BackupRequest(node.endpoint(), cluster, prefix, partSizeMib << 20, uploadThreads,
          (long) (maxRateMib * (1 << 20)), Duration.ofSeconds(progressSeconds));
    } catch (IOException | IllegalArgumentException e) {
      err.println("vigil backup: " + e.getMessage());
      return 2;
    }
    try (BackupStore store = s3.open()) {
      UploadGuard guard = new UploadGuard(store);
      // A stopped agent (SIGTERM, Ctrl-C, a Job's deadline) leaves no upload and no object behind.
      Thread hook = new Thread(() -> guard.cleanUp("the agent is stopping"), "backup-abort");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Manifest m = new BackupAgent(store, guard, Clock.systemUTC()).run(req);
        if (output == Output.json) {
          out.println(ManifestJson.pretty(m));
        } else {
          out.printf("backup %s: %s (%s) from %s (%s), sha256 %s%n  object   s3://%s/%s%n"
                  + "  manifest s3://%s/%s%n", m.id(), Progress.size(m.size()), m.rdbVersion(),
              m.node(), m.role(), m.sha256(), m.bucket(), m.key(), m.bucket(),
              BackupKeys.manifestKeyOf(m.key()));
        }
        return 0;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or will run: it cleans up
        }
      }
    } catch (BackupFailure | IOException e) {
      err.println("vigil backup: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
