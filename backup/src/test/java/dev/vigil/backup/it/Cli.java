package dev.vigil.backup.it;

import dev.vigil.backup.cli.BackupCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code vigil backup|restore|backups ...} in-process and keeps what it printed. */
public record Cli(int exit, String out, String err) {

  public static Cli run(List<String> base, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(base);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = BackupCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(all.toArray(String[]::new));
    return new Cli(exit, out.toString(), err.toString());
  }

  /** The one line on stderr a failure prints. */
  public String reason() {
    return err.strip();
  }
}
