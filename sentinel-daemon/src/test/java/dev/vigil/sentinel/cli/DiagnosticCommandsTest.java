package dev.vigil.sentinel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The diagnostic commands against a real group: servers and in-process daemons. */
class DiagnosticCommandsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  record Run(int code, String out, String err) {}

  private static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new VigilCli());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private List<SentinelDaemon> watch(List<ValkeyServer> group, int n) {
    return TestDaemons.awaitSettled(daemons.startGroup(n, "mymaster", group.get(0), 2, 500), "mymaster",
        group.size() - 1);
  }

  private static String sentinels(List<SentinelDaemon> ds) {
    return ds.stream().map(d -> "127.0.0.1:" + d.port()).collect(Collectors.joining(","));
  }

  private static String addr(ValkeyServer s) {
    return s.host() + ":" + s.port();
  }

  @Test
  void readCommandsShowTheGroup() {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = watch(group, 3);
    String s = sentinels(ds);

    Run master = vigil("get-master", "mymaster", "-s", s);
    assertThat(master.code()).isZero();
    assertThat(master.out().strip()).isEqualTo(addr(group.get(0)));
    assertThat(vigil("get-master", "nope", "-s", s).code()).isEqualTo(1);
    assertThat(vigil("get-master", "mymaster", "-o", "json", "-s", s).out())
        .contains("\"host\":\"" + group.get(0).host() + "\"", "\"port\":" + group.get(0).port());

    Run masters = vigil("masters", "-s", s);
    assertThat(masters.out()).contains("NAME", "mymaster", addr(group.get(0)));
    Run replicas = vigil("replicas", "mymaster", "-s", s);
    assertThat(replicas.out()).contains(addr(group.get(1)), addr(group.get(2)));
    Run peers = vigil("sentinels", "mymaster", "-s", s, "-o", "json");
    assertThat(peers.out()).startsWith("[{").contains("\"runid\"");

    Run quorum = vigil("ckquorum", "mymaster", "-s", s);
    assertThat(quorum.code()).isZero();
    assertThat(quorum.out()).startsWith("OK");

    Run status = vigil("status", "-s", s);
    assertThat(status.code()).as(status.out() + status.err()).isZero();
    assertThat(status.out()).contains("mymaster: master " + addr(group.get(0)), "3 of 3 daemons answered",
        "all agree", "LAG", addr(group.get(1)));
    assertThat(status.out().lines().filter(l -> l.startsWith("! "))).isEmpty();
    Run json = vigil("status", "-s", s, "-o", "json", "--name", "mymaster");
    assertThat(json.out()).startsWith("[{\"name\":\"mymaster\"").contains("\"agree\":true");

    // One address is enough: the daemons it lists as peers are asked too, each once.
    String one = "127.0.0.1:" + ds.get(1).port();
    Run discovered = vigil("status", "mymaster", "-s", one);
    assertThat(discovered.code()).as(discovered.out() + discovered.err()).isZero();
    assertThat(discovered.out()).contains("3 of 3 daemons answered", "all agree");
    for (SentinelDaemon d : ds) {
      assertThat(discovered.out().lines().filter(l -> l.contains("127.0.0.1:" + d.port() + " "))).hasSize(1);
    }
    assertThat(vigil("status", "mymaster", "-s", one, "--no-discover").out())
        .contains("1 of 1 daemons answered");
    assertThat(vigil("diagnose", "mymaster", "-s", one).out()).doesNotContain("did not answer");
  }

  @Test
  void warningsAloneExitZeroUnlessStrict() {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = watch(group, 3);
    String s = sentinels(ds);
    // Valkey's defaults: min-replicas-to-write 0. A risk to print, not a failure.
    Run run = vigil("diagnose", "-s", s);
    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("mymaster: healthy, 1 warning(s)",
        "warning: min-replicas-to-write is 0", "fix: CONFIG SET min-replicas-to-write 1")
        .doesNotContain("problem:");
    assertThat(vigil("diagnose", "-s", s, "--strict").code()).isEqualTo(1);
    Run json = vigil("diagnose", "-s", s, "-o", "json");
    assertThat(json.code()).isZero();
    assertThat(json.out()).contains("\"healthy\":true",
        "{\"severity\":\"warning\",\"check\":\"min-replicas-unset\"");

    // A daemon that does not answer is a warning while the others still make the quorum...
    group.forEach(n -> n.command("CONFIG", "SET", "min-replicas-to-write", "1"));
    daemons.stop(ds.get(2));
    Run oneGone = vigil("diagnose", "-s", s);
    assertThat(oneGone.code()).as(oneGone.out()).isZero();
    assertThat(oneGone.out()).contains("warning: daemon 127.0.0.1:" + ds.get(2).port()
        + " did not answer").doesNotContain("problem:");
    // ...and a problem once they do not.
    daemons.stop(ds.get(1));
    Run twoGone = vigil("diagnose", "-s", s, "-o", "json");
    assertThat(twoGone.code()).isEqualTo(1);
    assertThat(twoGone.out()).contains("\"healthy\":false",
        "{\"severity\":\"problem\",\"check\":\"no-quorum\"");
  }

  @Test
  void problemsAreReadFromTheNodesNotOnlyFromTheDaemonsCache() {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = watch(group, 3);
    String s = sentinels(ds);
    group.forEach(n -> n.command("CONFIG", "SET", "min-replicas-to-write", "1"));
    Run healthy = vigil("diagnose", "-s", s);
    assertThat(healthy.code()).as(healthy.out()).isZero();
    assertThat(healthy.out().strip()).isEqualTo("mymaster: healthy");

    // Every replica made unpromotable: diagnose says so at once, whether or not the daemons'
    // next INFO has told them yet (DiagnosisTest pins down the stale-view warning for the case
    // where it has not).
    group.subList(1, 3).forEach(n -> n.command("CONFIG", "SET", "replica-priority", "0"));
    Run broken = vigil("diagnose", "-s", s);
    assertThat(broken.code()).as(broken.out()).isEqualTo(1);
    assertThat(broken.out()).contains("mymaster: 1 problem(s)",
        "problem: no replica can be promoted now: " + addr(group.get(1)) + " has replica-priority 0",
        "fix: ");
    Run json = vigil("diagnose", "-s", s, "-o", "json");
    assertThat(json.out()).contains("{\"severity\":\"problem\",\"check\":\"no-promotable-replica\"");
    Run status = vigil("status", "-s", s);
    assertThat(status.out()).containsPattern(addr(group.get(1)) + " +slave .* 0( \\(daemons: 100\\))? ");
    assertThat(vigil("status", "-s", s, "-o", "json").out()).contains("\"priority\":0");

    // One replica promotable again: no problem left; a replica that is gone is a warning.
    group.get(1).command("CONFIG", "SET", "replica-priority", "100");
    group.get(2).kill9();
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.get(0).group("mymaster")
        .replicas().values().stream().anyMatch(r -> r.sdown()));
    Run degraded = vigil("diagnose", "-s", s);
    assertThat(degraded.code()).as(degraded.out()).isZero();
    assertThat(degraded.out()).contains("warning: replica " + addr(group.get(2)) + " is")
        .doesNotContain("problem:");
  }

  @Test
  void failoverWaitsForTheNewMasterAndIfMasterGuardsIt() {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = TestDaemons.awaitVoting(watch(group, 3));
    String s = sentinels(ds);
    Run skipped = vigil("failover", "mymaster", "--coordinated", "--if-master", addr(group.get(1)), "-s", s);
    assertThat(skipped.code()).isZero();
    assertThat(skipped.out()).contains("nothing to do");

    Run done = vigil("failover", "mymaster", "--coordinated", "-s", s);
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.out()).startsWith("master moved from " + addr(group.get(0)) + " to ");
    assertThat(vigil("get-master", "mymaster", "-s", s).out().strip()).isNotEqualTo(addr(group.get(0)));
  }

  @Test
  void usageAndConnectionErrorsExitWith2() throws Exception {
    int unused;
    try (java.net.ServerSocket sock = new java.net.ServerSocket(0)) {
      unused = sock.getLocalPort();
    }
    Run down = vigil("status", "-s", "127.0.0.1:" + unused, "--timeout-ms", "300");
    assertThat(down.code()).isEqualTo(2);
    assertThat(down.err()).contains("no daemon reachable");
    assertThat(vigil("get-master").code()).isEqualTo(2);
    assertThat(vigil("status", "-s", "no-port").code()).isEqualTo(2);
    Run help = vigil("diagnose", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Examples:", "--output");
    assertThat(vigil("generate-completion").out()).contains("vigil");
  }
}
