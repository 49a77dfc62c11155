package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the restore-place init container's script with a real {@code sh} against temporary
 * directories standing in for /data and /restore: the first start of pod 0 places the RDB and
 * turns AOF off; a restart before any AOF exists keeps AOF off and does not copy again; once an
 * AOF exists nothing is appended; another pod never places anything.
 */
final class PlaceScript {
  private PlaceScript() {}

  static void check(Container place) {
    try {
      // Names free of "/data" and "/restore", which the script's paths are replaced by.
      Path root = Files.createTempDirectory("rp");
      Path data = Files.createDirectories(root.resolve("d/conf"));
      Path restore = Files.createDirectories(root.resolve("r"));
      Files.writeString(restore.resolve("dump.rdb"), "REDIS0011 restored");
      String script = place.getCommand().get(2).replace("/data", root.resolve("d").toString())
          .replace("/restore", restore.toString());
      Path conf = data.resolve("valkey.conf");

      Files.writeString(conf, "appendonly yes\n");
      assertThat(run(place, script, "fresh-0")).isZero();
      assertThat(Files.readString(root.resolve("d/dump.rdb"))).isEqualTo("REDIS0011 restored");
      assertThat(Files.readString(conf)).isEqualTo("appendonly yes\nappendonly no\n");

      // Restarted (init-node wrote the config again), the node has written its own RDB since.
      Files.writeString(conf, "appendonly yes\n");
      Files.writeString(root.resolve("d/dump.rdb"), "REDIS0011 newer");
      assertThat(run(place, script, "fresh-0")).isZero();
      assertThat(Files.readString(root.resolve("d/dump.rdb"))).isEqualTo("REDIS0011 newer");
      assertThat(Files.readString(conf)).isEqualTo("appendonly yes\nappendonly no\n");

      Files.createDirectories(root.resolve("d/appendonlydir"));
      Files.writeString(conf, "appendonly yes\n");
      assertThat(run(place, script, "fresh-0")).isZero();
      assertThat(Files.readString(conf)).isEqualTo("appendonly yes\n");

      Path replica = Files.createDirectories(root.resolve("q/conf"));
      String other = place.getCommand().get(2).replace("/data", root.resolve("q").toString())
          .replace("/restore", restore.toString());
      Files.writeString(replica.resolve("valkey.conf"), "appendonly yes\n");
      assertThat(run(place, other, "fresh-1")).isZero();
      assertThat(root.resolve("q/dump.rdb")).doesNotExist();
      assertThat(Files.readString(replica.resolve("valkey.conf"))).isEqualTo("appendonly yes\n");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static int run(Container place, String script, String pod) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", script));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (EnvVar e : place.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    env.put("POD_NAME", pod);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    assertThat(rc).as(out).isZero();
    return rc;
  }
}
