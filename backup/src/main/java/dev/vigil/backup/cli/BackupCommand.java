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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Takes an RDB of a node over the replication protocol and streams it to S3.",
        "The manifest (PREFIX/ID.manifest.json) is written last: no manifest, no backup. A failed "
            + "or stopped backup aborts its upload."},
    footer = {"", "Example:",
        "  vigil backup --node 10.0.0.6:6379 --cluster orders --s3-endpoint https://minio:9000 \\",
        "    --path-style --bucket backups --prefix valkey/orders --json"})
final class BackupCommand extends StoreCommand {
  @Mixin NodeOptions node;
  @Mixin TransferOptions transfer;

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

  @Option(names = "--json", description = "Print one line of JSON on stdout: id, bucket, key, "
      + "manifestKey, size, sha256, durationSeconds.")
  boolean jsonLine;

  @Option(names = "--result-file", paramLabel = "FILE", description = "Also write that line to "
      + "FILE (for a Job: /dev/termination-log); on failure {\"error\": REASON}.")
  Path resultFile;

  private BackupRequest request;

  @Override
  Optional<String> usageError() {
    if (partSizeMib < PartSizing.MIN_PART >> 20 || uploadThreads < 1 || uploadThreads > 16) {
      return Optional.of("--part-size-mib must be at least 5 and --upload-threads 1 to 16");
    }
    try {
      request = new BackupRequest(node.endpoint(), cluster, prefix, partSizeMib << 20,
          uploadThreads, (long) (maxRateMib * (1 << 20)), transfer.progressEvery());
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  int run(BackupStore store) throws BackupFailure {
    UploadGuard guard = new UploadGuard(store);
    // A stopped agent (SIGTERM, Ctrl-C, a Job's deadline) leaves no upload and no object behind.
    Thread hook = new Thread(() -> guard.cleanUp("the agent is stopping"), "backup-abort");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Manifest m = new BackupAgent(store, guard, Clock.systemUTC()).run(request);
      String line = ResultLine.of(m);
      writeResult(line);
      if (jsonLine) {
        out.println(line);
      } else if (json()) {
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
  }

  @Override
  int failed(String reason) {
    writeResult(ResultLine.failure(reason));
    return super.failed(reason);
  }

  private void writeResult(String line) {
    if (resultFile == null) {
      return;
    }
    try {
      Files.writeString(resultFile, line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The backup's outcome stands either way; the line is also on stdout with --json.
      err.println(name() + ": cannot write " + resultFile + ": " + e.getMessage());
    }
  }
}
