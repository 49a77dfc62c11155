package dev.vigil.sentinel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil init-node} against real daemons and servers. */
class InitNodeCommandTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @TempDir Path dir;

  private static int run(String... args) {
    return new CommandLine(new VigilCli()).execute(args);
  }

  @Test
  void aRestartedOldMasterIsToldToFollowTheCurrentMaster() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    ValkeyServer master = group.get(0);
    ValkeyServer replica = group.get(1);
    SentinelDaemon d = daemons.start(TestDaemons.hocon("mymaster", master, 1, 500, ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> d.group("mymaster").replicas().size() == 1);
    Path out = dir.resolve("replication.conf");
    String self = master.host() + ":" + master.port();

    assertThat(run("init-node", "--name", "mymaster", "--self", self,
        "--sentinel", "127.0.0.1:" + d.port(), "--bootstrap-master", self, "--out", out.toString()))
        .isZero();
    assertThat(Files.readAllLines(out)).noneMatch(l -> l.startsWith("replicaof"));

    // The replica is promoted behind the old master's back (as after a failover); the old master
    // must come back as its replica even though the bootstrap setting still names it.
    replica.command("REPLICAOF", "NO", "ONE");
    TestDaemons.awaitVoting(List.of(d));
    try (var c = new dev.vigil.testkit.AdminConnection("127.0.0.1", d.port(), 2_000)) {
      c.command("SENTINEL", "FAILOVER", "mymaster");
    }
    await().atMost(Duration.ofSeconds(15)).until(() ->
        d.group("mymaster").masterAddress().port() == replica.port());
    assertThat(run("init-node", "--name", "mymaster", "--self", self,
        "--sentinel", "127.0.0.1:" + d.port(), "--bootstrap-master", self, "--out", out.toString(),
        "--announce-host", master.host()))
        .isZero();
    assertThat(Files.readAllLines(out)).contains("replicaof " + replica.host() + " " + replica.port(),
        "replica-announce-ip " + master.host());
  }

  @Test
  void withNoDaemonAnsweringTheBootstrapMasterIsUsed() throws Exception {
    Path out = dir.resolve("replication.conf");
    int unused;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      unused = s.getLocalPort();
    }
    assertThat(run("init-node", "--name", "mymaster", "--self", "127.0.0.1:7001",
        "--sentinel", "127.0.0.1:" + unused, "--bootstrap-master", "127.0.0.1:7000",
        "--timeout-ms", "300", "--out", out.toString())).isZero();
    assertThat(Files.readAllLines(out)).contains("replicaof 127.0.0.1 7000");
    Path base = dir.resolve("base.conf");
    Files.writeString(base, "port 7001\nmaxmemory 100mb\n");
    Path nested = dir.resolve("conf/valkey.conf");
    assertThat(run("init-node", "--name", "mymaster", "--self", "127.0.0.1:7001",
        "--bootstrap-master", "127.0.0.1:7000", "--base", base.toString(), "--out", nested.toString()))
        .isZero();
    assertThat(Files.readAllLines(nested)).startsWith("port 7001", "maxmemory 100mb")
        .contains("replicaof 127.0.0.1 7000");
    assertThat(run("init-node", "--name", "mymaster", "--self", "bad", "--bootstrap-master",
        "127.0.0.1:7000", "--out", out.toString())).isEqualTo(2);
    assertThat(run("init-node", "--name", "mymaster", "--self", "127.0.0.1:7001", "--out",
        out.toString())).as("no bootstrap master at all").isEqualTo(2);
    Path file = dir.resolve("bootstrap-master");
    Files.writeString(file, "127.0.0.1:7002\n");
    assertThat(run("init-node", "--name", "mymaster", "--self", "127.0.0.1:7001",
        "--bootstrap-master-file", file.toString(), "--out", out.toString())).isZero();
    assertThat(Files.readAllLines(out)).contains("replicaof 127.0.0.1 7002");
  }
}
