package dev.vigil.backup.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server's data directory as a restore sees it: what is in it, the AOF to remove so the RDB is
 * what loads, and the atomic replacement of the RDB (temp file, fsync, rename, fsync the directory).
 */
public final class DataDir {
  /** Entries a fresh volume may hold that say nothing about data (ext4's lost+found). */
  static final List<String> IGNORED = List.of("lost+found");

  private final Path dir;

  public DataDir(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  /** Names in the directory that count as content (empty when it does not exist). */
  public List<String> contents() throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!IGNORED.contains(n)) {
          names.add(n);
        }
      }
    }
    names.sort(null);
    return names;
  }

  /** A temp file for the download, in the directory itself so the final rename is atomic. */
  public Path newTempFile(String dbfilename) throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + dbfilename + ".restore-", ".tmp");
  }

  /**
   * Removes the AOF ({@code appendfilename} and its old numbered forms, and the
   * {@code appenddirname} directory of Valkey / Redis 7+) so that the server loads the RDB.
   * Returns what was removed.
   */
  public List<String> removeAof(String appendfilename, String appenddirname) throws IOException {
    List<String> removed = new ArrayList<>();
    Path aofDir = dir.resolve(appenddirname);
    if (Files.exists(aofDir)) {
      try (Stream<Path> walk = Files.walk(aofDir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      removed.add(appenddirname + "/");
    }
    for (String n : contents()) {
      if (n.equals(appendfilename) || n.startsWith(appendfilename + ".")) {
        Files.delete(dir.resolve(n));
        removed.add(n);
      }
    }
    if (!removed.isEmpty()) {
      fsyncDir();
    }
    return removed;
  }

  /** Durably replaces {@code dbfilename} with {@code temp}. */
  public Path install(Path temp, String dbfilename) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Path target = dir.resolve(dbfilename);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDir();
    return target;
  }

  private void fsyncDir() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for fsync; the rename itself is still atomic.
    }
  }
}
