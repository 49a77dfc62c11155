package dev.vigil.backup.cli;

import dev.vigil.backup.agent.BackupFailure;
import dev.vigil.backup.agent.Progress;
import dev.vigil.backup.manifest.BackupKeys;
import dev.vigil.backup.manifest.Manifest;
import dev.vigil.backup.manifest.ManifestJson;
import dev.vigil.backup.s3.BackupStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code vigil backups list|show|delete|uploads}: the backups in a bucket, from their manifests. */
@Command(name = "backups", mixinStandardHelpOptions = true,
    description = "Lists, shows and deletes backups (read from their manifests).",
    subcommands = {BackupsCommand.ListBackups.class, BackupsCommand.Show.class,
        BackupsCommand.Delete.class, BackupsCommand.Uploads.class})
final class BackupsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: list, show, delete or uploads");
  }

  /** The subcommands' failure lines say {@code vigil backups: ...}. */
  abstract static class BackupsSubcommand extends StoreCommand {
    @Override
    String name() {
      return "vigil backups";
    }

    static Manifest manifest(BackupStore store, String key) throws BackupFailure {
      String mk = BackupKeys.manifestKeyOf(key);
      try {
        return ManifestJson.read(store.getBytes(mk));
      } catch (NoSuchKeyException e) {
        throw new BackupFailure("no manifest at s3://" + store.bucket() + "/" + mk);
      } catch (ManifestJson.InvalidManifestException e) {
        throw new BackupFailure(mk + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the backups under a prefix, oldest first.")
  static final class ListBackups extends BackupsSubcommand {
    @Option(names = "--prefix", defaultValue = "", description = "Key prefix (default: none).")
    String prefix;

    @Override
    int run(BackupStore store) throws BackupFailure {
      // Each manifest printed as it is read: a bucket holds thousands, the agent's heap is small.
      List<String> keys = store.manifestKeys(prefix);
      if (json()) {
        try (ManifestJson.ArrayWriter array = ManifestJson.prettyArray(out)) {
          for (String k : keys) {
            array.add(manifest(store, k));
          }
        }
        return 0;
      }
      String fmt = "%-44s %-10s %-21s %-7s %10s  %s%n";
      out.printf(fmt, "ID", "CLUSTER", "NODE", "ROLE", "SIZE", "FINISHED");
      for (String k : keys) {
        Manifest m = manifest(store, k);
        out.printf(fmt, m.id(), m.cluster(), m.node(), m.role(), Progress.size(m.size()),
            m.finishedAt());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints one manifest.")
  static final class Show extends BackupsSubcommand {
    @Parameters(paramLabel = "KEY", description = "The backup's RDB key or manifest key.")
    String key;

    @Override
    int run(BackupStore store) throws BackupFailure {
      Manifest m = manifest(store, key);
      if (json()) {
        out.println(ManifestJson.pretty(m));
      } else {
        ManifestJson.fields(m).forEach((k, v) -> out.printf("%-14s %s%n", k, v));
      }
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Deletes a backup: its manifest first (it stops being a backup), then the RDB.")
  static final class Delete extends BackupsSubcommand {
    @Parameters(paramLabel = "KEY", description = "The backup's RDB key or manifest key.")
    String key;

    @Override
    int run(BackupStore store) throws BackupFailure {
      Manifest m = manifest(store, key);
      store.delete(BackupKeys.manifestKeyOf(m.key()));
      store.delete(m.key());
      if (json()) {
        out.println(ManifestJson.pretty(Map.of("deleted", m.id(), "key", m.key())));
      } else {
        out.println("deleted backup " + m.id() + " (s3://" + store.bucket() + "/" + m.key() + ")");
      }
      return 0;
    }
  }

  @Command(name = "uploads", mixinStandardHelpOptions = true,
      description = {"Lists unfinished multipart uploads under a prefix (an agent killed with "
          + "SIGKILL leaves one; it is never a backup), and aborts them with --abort."})
  static final class Uploads extends BackupsSubcommand {
    @Option(names = "--prefix", defaultValue = "", description = "Key prefix (default: none).")
    String prefix;

    @Option(names = "--abort", description = "Abort them.")
    boolean abort;

    @Override
    int run(BackupStore store) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (MultipartUpload u : store.uploadsInProgress(prefix)) {
        if (abort) {
          store.abort(u.key(), u.uploadId());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", u.key());
        row.put("uploadId", u.uploadId());
        row.put("initiated", String.valueOf(u.initiated()));
        row.put("aborted", abort);
        rows.add(row);
      }
      if (json()) {
        out.println(ManifestJson.pretty(rows));
      } else {
        for (Map<String, Object> r : rows) {
          out.printf("%s %s %s%s%n", r.get("initiated"), r.get("key"), r.get("uploadId"),
              abort ? " (aborted)" : "");
        }
        if (rows.isEmpty()) {
          out.println("no unfinished uploads");
        }
      }
      return 0;
    }
  }
}
