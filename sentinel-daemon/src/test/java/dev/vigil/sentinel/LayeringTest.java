package dev.vigil.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon's ports depend on interfaces they own ({@code server.DaemonCommands},
 * {@code http.DaemonStatus}), never on the daemon itself: the daemon builds them, not the other
 * way round. Read from the sources, so a fully qualified name counts as much as an import.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java/dev/vigil/sentinel");

  @Test
  void serverHttpAndNetNameNothingOfTheDaemonPackage() throws IOException {
    for (String port : List.of("server", "http", "net")) {
      try (Stream<Path> files = Files.walk(MAIN.resolve(port))) {
        List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        assertThat(sources).as(port).isNotEmpty();
        for (Path f : sources) {
          assertThat(Files.readString(f)).as(f.toString())
              .doesNotContain("dev.vigil.sentinel.daemon");
        }
      }
    }
  }
}
