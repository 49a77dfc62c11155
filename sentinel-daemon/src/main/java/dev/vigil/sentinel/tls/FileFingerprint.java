package dev.vigil.sentinel.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of the content of some files (and of the files in some directories). Content, not
 * modification time: Kubernetes updates a mounted Secret by swapping a symlink, which leaves the
 * times of the paths we were given unchanged.
 */
final class FileFingerprint {
  private FileFingerprint() {}

  static String of(List<Path> paths, String extra) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path p : paths) {
      add(sha, p);
    }
    sha.update(extra.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void add(MessageDigest sha, Path p) {
    sha.update(p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          for (Path f : files.sorted().toList()) {
            if (Files.isRegularFile(f)) {
              add(sha, f);
            }
          }
        }
      } else {
        sha.update(Files.readAllBytes(p));
      }
    } catch (IOException e) {
      sha.update(("unreadable:" + e.getClass().getSimpleName()).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
