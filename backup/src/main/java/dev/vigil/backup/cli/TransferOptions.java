package dev.vigil.backup.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** What backup and restore share about a long transfer. */
final class TransferOptions {
  @Option(names = "--progress-interval-s", defaultValue = "5",
      description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  int progressSeconds;

  Duration progressEvery() {
    return Duration.ofSeconds(progressSeconds);
  }
}
