package dev.vigil.backup.cli;

import dev.vigil.resp3.client.LeakDetection;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The backup agent's commands, reached as {@code vigil backup|restore|backups} (bin/vigil sends
 * those three here, so the daemon's jar never carries the AWS SDK). Exit codes: 0 ok, 1 failed
 * (one line on stderr says why), 2 usage error.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
    description = "Backups of Valkey nodes to S3 and restores from them.",
    subcommands = {BackupCommand.class, RestoreCommand.class, BackupsCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class BackupCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** The command line, for main and for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new BackupCli());
  }

  public static void main(String[] args) {
    // The level first: Netty's leak detector starts slf4j-simple, which reads it only once.
    logLevel(System.getenv("VIGIL_LOG_LEVEL"));
    LeakDetection.offUnlessAsked();
    System.exit(commandLine().execute(args));
  }

  /** VIGIL_LOG_LEVEL (trace, debug, info, warn, error; any case) before the first logger exists. */
  static void logLevel(String level) {
    if (level != null && !level.isBlank()
        && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
          level.trim().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
