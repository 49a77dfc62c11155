package dev.vigil.backup.cli;

import dev.vigil.backup.agent.BackupFailure;
import dev.vigil.backup.s3.BackupStore;
import dev.vigil.backup.s3.S3Errors;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The shape every command shares: check the arguments (exit 2), open the bucket, run, and on
 * failure print one line on stderr ({@code vigil backup: ...}) and exit 1.
 */
abstract class StoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;
  PrintWriter out;
  PrintWriter err;

  @Override
  public final Integer call() {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    try {
      Optional<String> usage = usageError();
      if (usage.isPresent()) {
        err.println(name() + ": " + usage.get());
        return 2;
      }
      try (BackupStore store = common.s3.open()) {
        return run(store);
      } catch (BackupFailure | IOException e) {
        return failed(e.getMessage());
      } catch (SdkException e) {
        return failed(S3Errors.describe(e, common.s3.bucket, common.s3.settings().where()));
      }
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** What is wrong with the arguments beyond what picocli checks, if anything. */
  Optional<String> usageError() {
    return Optional.empty();
  }

  abstract int run(BackupStore store) throws BackupFailure, IOException;

  /** Prints the one-line reason; exit code 1. */
  int failed(String reason) {
    err.println(name() + ": " + reason);
    return 1;
  }

  /** The prefix of the failure line. */
  String name() {
    return spec.qualifiedName();
  }

  boolean json() {
    return common.output == Output.json;
  }
}
