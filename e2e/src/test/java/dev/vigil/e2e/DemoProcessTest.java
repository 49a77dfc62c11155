package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, as a user runs it: {@code bin/vigil demo} starts a group on loopback;
 * killing the master it names shows a failover; stopping the demo leaves no server behind.
 */
class DemoProcessTest {
  private static final Pattern NODE = Pattern.compile("^  (master |replica) 127\\.0\\.0\\.1:(\\d+)  pid (\\d+)$",
      Pattern.MULTILINE);
  private static final Pattern DAEMON = Pattern.compile("^  daemon  127\\.0\\.0\\.1:(\\d+) ", Pattern.MULTILINE);

  private Process demo;
  private Path out;

  @AfterEach
  void stop() throws Exception {
    if (out != null && Files.exists(out)) {
      // What the user would have seen, for a failing run's report.
      System.out.println("--- bin/vigil demo output ---\n" + output());
    }
    // SIGTERM first: the demo's shutdown hook stops the servers it started (SIGKILL would orphan them).
    if (demo != null && demo.isAlive()) {
      demo.destroy();
      if (!demo.waitFor(20, TimeUnit.SECONDS)) {
        demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (out != null) {
      Files.deleteIfExists(out);
    }
  }

  private String output() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void killingTheDemosMasterShowsAFailoverAndStoppingItCleansUp() throws Exception {
    out = Files.createTempFile("vigil-demo-", ".log");
    ProcessBuilder pb = new ProcessBuilder(DaemonProcess.ROOT.resolve("bin/vigil").toString(), "demo",
        "--down-after", "1000").redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("VIGIL_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    demo = pb.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      assertThat(demo.isAlive()).as("the demo exited at start:\n%s", output()).isTrue();
      return output().contains("Kill the master");
    });
    String banner = output();
    Matcher nodes = NODE.matcher(banner);
    int masterPort = 0;
    long masterPid = 0;
    List<Long> replicaPids = new ArrayList<>();
    while (nodes.find()) {
      if (nodes.group(1).startsWith("master")) {
        masterPort = Integer.parseInt(nodes.group(2));
        masterPid = Long.parseLong(nodes.group(3));
      } else {
        replicaPids.add(Long.parseLong(nodes.group(3)));
      }
    }
    Matcher daemon = DAEMON.matcher(banner);
    assertThat(daemon.find()).as(banner).isTrue();
    int daemonPort = Integer.parseInt(daemon.group(1));
    assertThat(replicaPids).as(banner).hasSize(2);
    assertThat(banner).contains("kill -9 " + masterPid);

    ProcessHandle.of(masterPid).orElseThrow().destroyForcibly();
    int oldMaster = masterPort;
    // Each of the three daemons logs its own +switch-master: the leader's first, the others' on
    // its hello a few milliseconds later. The daemon asked below need not be the leader, so the
    // wait is for all three (waiting for the first, a CI run asked a follower in between).
    String switched = "+switch-master demo 127.0.0.1 " + oldMaster + " ";
    await().atMost(Duration.ofSeconds(30)).until(() -> output().lines()
        .filter(l -> l.contains(switched)).count() == 3);
    try (AdminConnection c = new AdminConnection("127.0.0.1", daemonPort, 2_000)) {
      Object addr = c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "demo");
      assertThat(addr).asList().element(1).isNotEqualTo(Integer.toString(oldMaster));
    }
    // The live status follows the new master.
    await().atMost(Duration.ofSeconds(10)).until(() -> output().lines()
        .anyMatch(l -> l.startsWith("daemon :" + daemonPort + " master") && !l.contains(":" + oldMaster + " ")));

    // Ctrl-C (SIGTERM here) stops the demo and every process it started.
    demo.destroy();
    assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output()).as("the demo's output").doesNotContain("Exception");
    for (long pid : replicaPids) {
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }
  }
}
