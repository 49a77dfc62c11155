package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.LeakDetection;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. Exit codes: 0 ok, 1 a problem was found (or the daemon failed), 2
 * usage error.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
    description = "Failover for Valkey primary/replica groups, compatible with Valkey Sentinel.",
    footer = {"", "Backups (the backup agent, a separate jar that bin/vigil runs):",
        "  backup, restore, backups list|show|delete|uploads   (vigil backup --help)",
        "", "Shell completion: source <(vigil generate-completion)"},
    subcommands = {RunSentinelCommand.class, DemoCommand.class, StatusCommand.class,
        DiagnoseCommand.class, FailoverCommand.class, CkquorumCommand.class, GetMasterCommand.class,
        ListCommands.Masters.class, ListCommands.Replicas.class, ListCommands.Sentinels.class,
        InitNodeCommand.class, CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class},
    exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class VigilCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    LeakDetection.offUnlessAsked();
    int code = new CommandLine(new VigilCli()).execute(args);
    if (code != 0 || !RunSentinelCommand.keepsRunning()) {
      System.exit(code);
    }
  }
}
