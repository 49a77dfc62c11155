package dev.vigil.backup.cli;

import dev.vigil.backup.agent.BackupFailure;
import dev.vigil.backup.agent.Progress;
import dev.vigil.backup.agent.RestoreAgent;
import dev.vigil.backup.agent.RestoreRequest;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.backup.s3.BackupStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Downloads a backup into a data directory, before the server starts.",
        "Verifies the size and SHA-256 against the manifest and the RDB's header and CRC-64, "
            + "writes the RDB atomically and removes the AOF so the RDB is what loads."},
    footer = {"", "Example:",
        "  vigil restore --s3-endpoint https://minio:9000 --path-style --bucket backups \\",
        "    --key valkey/orders/orders-20261130T211412000Z.rdb --dir /data"})
final class RestoreCommand extends StoreCommand {
  @Mixin TransferOptions transfer;

  @Option(names = "--key", required = true, paramLabel = "K",
      description = "The backup's RDB object key (its .manifest.json key works too).")
  String key;

  @Option(names = "--dir", required = true, paramLabel = "DATA_DIR",
      description = "The server's data directory (created if missing).")
  Path dir;

  @Option(names = "--force", description = "Restore into a non-empty directory: replaces the RDB, "
      + "removes the AOF, leaves other files.")
  boolean force;

  @Option(names = "--dbfilename", defaultValue = "dump.rdb",
      description = "The server's dbfilename (default: ${DEFAULT-VALUE}).")
  String dbfilename;

  @Option(names = "--appendfilename", defaultValue = "appendonly.aof",
      description = "The server's appendfilename, removed (default: ${DEFAULT-VALUE}).")
  String appendfilename;

  @Option(names = "--appenddirname", defaultValue = "appendonlydir",
      description = "The server's appenddirname, removed (default: ${DEFAULT-VALUE}).")
  String appenddirname;

  /** A year: beyond any restore, and far from overflowing milliseconds. */
  static final long MAX_SECONDS = 366L * 24 * 3600;

  @Option(names = "--deadline-s", defaultValue = "0", paramLabel = "S",
      description = "Give up the download after S seconds, with exit 1 and how far it got, "
          + "however it still runs (0, the default: no bound).")
  long deadlineSeconds;

  @Option(names = "--stall-s", defaultValue = "120", paramLabel = "S",
      description = "Give up the download when less than 1 MiB arrives in S seconds: a store "
          + "that trickles never trips the socket timeout (0: no such check; default: "
          + "${DEFAULT-VALUE}).")
  long stallSeconds;

  @Override
  Optional<String> usageError() {
    if (deadlineSeconds < 0 || deadlineSeconds > MAX_SECONDS) {
      return Optional.of("--deadline-s must be 0 (no bound) to " + MAX_SECONDS);
    }
    if (stallSeconds < 0 || stallSeconds > MAX_SECONDS) {
      return Optional.of("--stall-s must be 0 (no check) to " + MAX_SECONDS);
    }
    return Optional.empty();
  }

  @Override
  int run(BackupStore store) throws BackupFailure {
    Manifest m = new RestoreAgent(store).run(new RestoreRequest(key, dir, force, dbfilename,
        appendfilename, appenddirname, transfer.progressEvery(), Duration.ofSeconds(deadlineSeconds),
        Duration.ofSeconds(stallSeconds)));
    if (json()) {
      out.println(ManifestJson.pretty(m));
    } else {
      out.printf("restored %s: %s (%s) from %s, taken %s, into %s%n", m.id(),
          Progress.size(m.size()), m.rdbVersion(), m.node(), m.finishedAt(), dir.resolve(dbfilename));
    }
    return 0;
  }
}
