package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.sentinel.config.Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * A diagnostic command talking to the daemons. Exit codes: 0 ok, 1 a problem found, 2 usage or
 * connection error (no daemon could be asked).
 */
abstract class DaemonCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin ConnectOptions conn;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table (for people) or json (for scripts); default: ${DEFAULT-VALUE}.")
  Output output;

  @Spec CommandSpec spec;
  PrintWriter out;
  PrintWriter err;

  /** Thrown when no daemon could be asked: exit code 2. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  @Override
  public final Integer call() {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    try (RespClient client = new RespClient(1)) {
      return run(client);
    } catch (Unreachable | IOException e) {
      err.println("vigil: " + e.getMessage());
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }

  abstract int run(RespClient client) throws Unreachable, IOException;

  boolean json() {
    return output == Output.json;
  }

  /** The first daemon that accepts a connection, or Unreachable naming every failure. */
  DaemonConnection firstDaemon(RespClient client) throws Unreachable {
    StringBuilder why = new StringBuilder();
    for (Address a : conn.sentinels) {
      try {
        return DaemonConnection.open(client, a, conn.user, conn.password, conn.ssl(a), conn.timeout());
      } catch (IOException e) {
        why.append(why.length() == 0 ? "" : "; ").append(e.getMessage());
      }
    }
    throw new Unreachable("no daemon reachable (" + why + "); pass --sentinel HOST:PORT");
  }
}
