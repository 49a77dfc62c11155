package dev.vigil.sentinel.cli;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.node.JoinDecision;
import dev.vigil.sentinel.state.AtomicFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Run before a Valkey node starts (a Kubernetes init container): asks the daemons which node is
 * master and writes the replication lines the node's valkey.conf includes.
 */
@Command(name = "init-node", mixinStandardHelpOptions = true,
    description = {"Decide how a Valkey node joins its group before it starts, and write the "
        + "file its valkey.conf includes: 'replicaof HOST PORT', or nothing when it is the master.",
        "The newest configuration any daemon reports wins; the bootstrap master is used only "
        + "when no daemon answers (a brand-new group)."},
    footer = {"", "Example:",
        "  vigil init-node --name mymaster --self valkey-1.valkey-headless:6379 \\",
        "      --sentinel valkey-0.valkey-headless:26379 --sentinel valkey-2.valkey-headless:26379 \\",
        "      --bootstrap-master valkey-0.valkey-headless:6379 --out /data/vigil-replication.conf"})
final class InitNodeCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "Master group name.")
  String name;

  @Option(names = "--self", required = true, converter = AddressConverter.class,
      description = "This node as the daemons know it, HOST:PORT.")
  Address self;

  @Option(names = "--sentinel", split = ",", converter = AddressConverter.class,
      description = "A daemon to ask, HOST:PORT (repeatable).")
  List<Address> sentinels = new ArrayList<>();

  @Option(names = "--sentinels-dns", converter = AddressConverter.class, paramLabel = "NAME:PORT",
      description = "Ask every address NAME resolves to, on PORT (a headless Service: every pod, "
          + "ready or not, without listing them).")
  Address sentinelsDns;

  @Option(names = "--bootstrap-master", converter = AddressConverter.class,
      description = "Master to use when no daemon answers, HOST:PORT.")
  Address bootstrap;

  @Option(names = "--bootstrap-master-file", description = "A file holding that HOST:PORT (a "
      + "ConfigMap key: it changes with failovers, which must not change the pod template).")
  Path bootstrapFile;

  @Option(names = "--out", required = true, description = "File to write (valkey.conf includes it).")
  Path out;

  @Option(names = "--base", description = "A valkey.conf to copy into --out before the "
      + "replication lines (so the node runs from a writable file CONFIG REWRITE can update).")
  Path base;

  @Option(names = "--announce-host", description = "Also write replica-announce-ip HOST.")
  String announceHost;

  @Option(names = "--timeout-ms", defaultValue = "2000", description = "Per daemon (default ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--sentinel-password", defaultValue = "${env:VIGIL_SENTINEL_PASSWORD}",
      description = "Password of the daemons' port (default: $VIGIL_SENTINEL_PASSWORD).")
  String password;

  @picocli.CommandLine.Mixin ClientTls tls = new ClientTls();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (bootstrap == null && bootstrapFile == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "one of --bootstrap-master or --bootstrap-master-file is required");
    }
    if (bootstrap == null) {
      bootstrap = new AddressConverter().convert(java.nio.file.Files.readString(bootstrapFile).strip());
    }
    List<JoinDecision.DaemonView> answers = new ArrayList<>();
    List<Address> asked = new ArrayList<>(sentinels);
    if (sentinelsDns != null) {
      try {
        for (java.net.InetAddress ip : java.net.InetAddress.getAllByName(sentinelsDns.host())) {
          asked.add(new Address(ip.getHostAddress(), sentinelsDns.port()));
        }
      } catch (java.net.UnknownHostException e) {
        System.err.println("vigil init-node: " + sentinelsDns.host() + " does not resolve yet (" + e.getMessage() + ")");
      }
    }
    // Addresses resolved from --sentinels-dns are IPs, which the daemons' certificates (issued for
    // their DNS names) do not name: those are checked against the CA only. Named ones are checked
    // against their name too.
    io.netty.handler.ssl.SslContext named = tls.context(true);
    io.netty.handler.ssl.SslContext byIp = tls.context(false);
    try (RespClient client = new RespClient(1)) {
      for (Address a : asked) {
        io.netty.handler.ssl.SslContext ssl = tls.forPort(a.isIpLiteral() ? byIp : named, a.port());
        try (DaemonConnection c = DaemonConnection.open(client, a, null, password, ssl,
            Duration.ofMillis(timeoutMs))) {
          RespMap m = Resp.asMap(c.command("SENTINEL", "MASTER", name));
          answers.add(new JoinDecision.DaemonView(a.toString(),
              new Address(Resp.text(m.get("ip")), Integer.parseInt(Resp.text(m.get("port")))),
              Long.parseLong(Resp.text(m.get("config-epoch")))));
        } catch (java.io.IOException | RuntimeException e) {
          System.err.println("vigil init-node: daemon " + a + " did not answer: " + e.getMessage());
        }
      }
    }
    JoinDecision d = JoinDecision.decide(self, answers, bootstrap);
    String head = base == null ? "" : java.nio.file.Files.readString(base) + "\n";
    if (out.toAbsolutePath().getParent() != null) {
      java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
    }
    AtomicFiles.write(out, head + String.join("\n", d.configLines(announceHost, tls.ports())) + "\n");
    System.out.println("vigil init-node: " + (d.master().isEmpty() ? "starting as master"
        : "starting as replica of " + d.master().get()) + " (" + d.reason() + ")");
    return 0;
  }
}
