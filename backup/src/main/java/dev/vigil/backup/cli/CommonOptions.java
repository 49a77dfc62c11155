package dev.vigil.backup.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that talks to the bucket takes: where it is, and how to print. */
final class CommonOptions {
  @Mixin S3Options s3;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table or json (backup, restore, backups show: the manifest); "
          + "default: ${DEFAULT-VALUE}.")
  Output output;
}
