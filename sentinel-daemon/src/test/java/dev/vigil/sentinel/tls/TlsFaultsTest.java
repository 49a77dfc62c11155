package dev.vigil.sentinel.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.daemon.TestDaemons;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.TlsFiles;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rotation without a restart, and the one-line errors for bad certificates. */
class TlsFaultsTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();
  @RegisterExtension final LogLines logs = new LogLines("dev.vigil.sentinel.daemon.LinkFailures",
      "dev.vigil.sentinel.tls.TlsReloader", "dev.vigil.sentinel.tls.HandshakeLogger");
  @TempDir Path certs;

  /** The subject of the certificate a new TLS connection to the port is shown. */
  private static String presented(int port, TlsFiles client) throws Exception {
    try (SSLSocket s = (SSLSocket) client.clientContext().getSocketFactory()
        .createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal().getName();
    }
  }

  /** The id of the daemon's command link on the node (CLIENT LIST), or -1. */
  private static long daemonLinkId(ValkeyServer node) {
    for (String line : ((String) node.command("CLIENT", "LIST", "TYPE", "pubsub")).split("\n")) {
      if (line.contains("name=vigil-")) {
        return Long.parseLong(line.replaceAll(".*\\bid=(\\d+).*", "$1").strip());
      }
    }
    return -1;
  }

  @Test
  void rotatedFilesReachNewConnectionsWithoutDroppingOldOnes() throws Exception {
    TestCertificates ca = TestCertificates.authority("vigil-test-ca");
    TlsFiles nodeFiles = ca.writeLoopback(Files.createDirectory(certs.resolve("node")), "node");
    TlsFiles daemonFiles = ca.writeLoopback(Files.createDirectory(certs.resolve("daemon")),
        "daemon");
    ValkeyServer master = servers.start(ValkeyServer.builder().tls(nodeFiles));
    SentinelDaemon d = daemons.start(TlsGroupTest.hocon(master, daemonFiles,
        ", reload-period = 100ms"));
    await().atMost(Duration.ofSeconds(10)).until(() -> daemonLinkId(master) > 0
        && d.group("mymaster").master().info() != null);
    long linkBefore = daemonLinkId(master);
    assertThat(presented(d.tlsPort(), nodeFiles)).isEqualTo("CN=daemon");

    try (RespClient client = new RespClient(1);
        RespConnection old = client.connect(RespClientOptions.of("127.0.0.1", d.tlsPort())
            .withSsl(SslContextBuilder.forClient().trustManager(daemonFiles.caCert().toFile())
                .keyManager(nodeFiles.cert().toFile(), nodeFiles.key().toFile()).build()))
            .get(10, TimeUnit.SECONDS)) {
      ca.issue("daemon-rotated", "127.0.0.1", "localhost")
          .writeTo(daemonFiles.cert(), daemonFiles.key());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> presented(d.tlsPort(), nodeFiles).equals("CN=daemon-rotated"));
      assertThat(old.ping().get(5, TimeUnit.SECONDS)).as("old connection kept").isEqualTo("PONG");
      assertThat(daemonLinkId(master)).as("link to the node kept").isEqualTo(linkBefore);

      // A certificate whose key is not beside it: refused, the current material stays.
      ca.issue("daemon-broken", "127.0.0.1").writeTo(daemonFiles.cert(), certs.resolve("x.key"));
      await().atMost(Duration.ofSeconds(10)).until(() ->
          !logs.matching("changed files refused", "does not match").isEmpty());
      assertThat(presented(d.tlsPort(), nodeFiles)).isEqualTo("CN=daemon-rotated");
      assertThat(old.ping().get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      assertThat(logs.matching("changed files refused")).hasSize(1);
    }
  }

  @Test
  void aNodeCertificateFromAnotherCaIsOneLineNamingTheNodeAndTheSubject() throws Exception {
    TlsFiles nodeFiles = TestCertificates.authority("node-ca")
        .writeLoopback(Files.createDirectory(certs.resolve("node")), "node");
    TlsFiles daemonFiles = TestCertificates.authority("daemon-ca")
        .writeLoopback(Files.createDirectory(certs.resolve("daemon")), "daemon");
    ValkeyServer master = servers.start(ValkeyServer.builder().tls(nodeFiles));
    daemons.start(TlsGroupTest.hocon(master, daemonFiles, ""));
    String[] line = {"cannot connect to node " + master.address(), "TLS handshake failed",
        "certificate subject 'CN=node' issued by 'CN=node-ca'", "not signed by a trusted CA"};
    await().atMost(Duration.ofSeconds(10)).until(() -> !logs.matching(line).isEmpty());
    // The link retries every ping period (200 ms): after many retries, no reason twice.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> {
      List<String> lines = logs.matching("cannot connect to node " + master.address());
      return lines.size() <= 2 && lines.size() == lines.stream().distinct().count();
    });
  }

  /** A node certificate of {@code ca} naming only {@code names}, in a directory of its own. */
  private TlsFiles issued(TestCertificates ca, String name, String... names) throws Exception {
    Path dir = Files.createDirectory(certs.resolve(name));
    ca.writeCertificate(dir.resolve("ca.crt"));
    TestCertificates.Issued leaf = ca.issue(name + "-node", names);
    leaf.writeTo(dir.resolve("node.crt"), dir.resolve("node.key"));
    return new TlsFiles(dir.resolve("ca.crt"), dir.resolve("node.crt"), dir.resolve("node.key"),
        leaf.sslContext(ca.certificate()));
  }

  @Test
  void withHostnamesOnTheNodeCertificateMustNameTheHostDialled() throws Exception {
    TestCertificates ca = TestCertificates.authority("vigil-test-ca");
    TlsFiles ipOnlyFiles = issued(ca, "ip-only", "127.0.0.1");
    TlsFiles named = ca.writeLoopback(Files.createDirectory(certs.resolve("named")), "node");
    ValkeyServer wrongName = servers.start(ValkeyServer.builder().tls(ipOnlyFiles));
    ValkeyServer rightName = servers.start(ValkeyServer.builder().tls(named));
    String hostnames = "resolve-hostnames = true, announce-hostnames = true\n";
    SentinelDaemon good = daemons.start(TlsGroupTest.hocon(rightName, named, "")
        .replace("\"127.0.0.1\", port", "\"localhost\", port") + "vigil { " + hostnames + " }");
    daemons.start(TlsGroupTest.hocon(wrongName, named, "")
        .replace("\"127.0.0.1\", port", "\"localhost\", port") + "vigil { " + hostnames + " }");
    await().atMost(Duration.ofSeconds(10)).until(() -> !logs.matching(
        "cannot connect to node localhost:" + wrongName.port(), "CN=ip-only-node",
        "does not name the host dialled").isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        good.group("mymaster").master().info() != null);
  }

  /**
   * With host names on, a node dialled by an IP address (a pod of a Deployment announces its pod
   * IP) is checked against the CA only, as Valkey checks every peer: its certificate names no
   * address, and the link comes up; one from another CA is still refused.
   */
  @Test
  void withHostnamesOnANodeDialledByAddressIsCheckedAgainstTheCaOnly() throws Exception {
    TestCertificates ca = TestCertificates.authority("vigil-test-ca");
    TlsFiles nameOnlyFiles = issued(ca, "name-only", "node.example");
    TlsFiles named = ca.writeLoopback(Files.createDirectory(certs.resolve("named-by-ca")), "node");
    ValkeyServer byAddress = servers.start(ValkeyServer.builder().tls(nameOnlyFiles));
    String hostnames = "resolve-hostnames = true, announce-hostnames = true\n";
    SentinelDaemon d = daemons.start(TlsGroupTest.hocon(byAddress, named, "") + "vigil { " + hostnames + " }");
    await().atMost(Duration.ofSeconds(10)).until(() -> d.group("mymaster").master().info() != null);
    assertThat(logs.matching("cannot connect to node 127.0.0.1:" + byAddress.port())).isEmpty();

    TlsFiles other = TestCertificates.authority("other-ca").writeLoopback(
        Files.createDirectory(certs.resolve("other-ca")), "node");
    ValkeyServer foreign = servers.start(ValkeyServer.builder().tls(other));
    daemons.start(TlsGroupTest.hocon(foreign, named, "") + "vigil { " + hostnames + " }");
    await().atMost(Duration.ofSeconds(10)).until(() -> !logs.matching(
        "cannot connect to node 127.0.0.1:" + foreign.port(), "not signed by a trusted CA").isEmpty());
  }

  @Test
  void plaintextToTheTlsPortIsRefusedAndLoggedOnce() throws Exception {
    TlsFiles files = TestCertificates.authority("ca").writeLoopback(certs, "daemon");
    ValkeyServer master = servers.start(ValkeyServer.builder().tls(files));
    SentinelDaemon d = daemons.start(TlsGroupTest.hocon(master, files, ""));
    for (int i = 0; i < 3; i++) {
      try (AdminConnection plain = new AdminConnection("127.0.0.1", d.tlsPort(), 2_000)) {
        plain.command("PING");
        throw new AssertionError("plaintext PING answered on the TLS port");
      } catch (java.io.IOException expected) {
        // closed by the daemon
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        !logs.matching("TLS handshake with client", "does not speak TLS").isEmpty());
    assertThat(logs.matching("TLS handshake with client")).hasSize(1);
  }

  @Test
  void aMissingCertificateFailsTheStartInOneLine() throws Exception {
    TlsFiles files = TestCertificates.authority("ca").writeLoopback(certs, "daemon");
    Path missing = certs.resolve("gone.crt");
    Path conf = certs.resolve("sentinel.conf");
    Files.writeString(conf, """
        port 0
        bind 127.0.0.1
        tls-port %d
        tls-cert-file %s
        tls-key-file %s
        tls-ca-cert-file %s
        sentinel monitor mymaster 127.0.0.1 7000 1
        """.formatted(TlsGroupTest.freePort(), missing, files.key(), files.caCert()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = TlsGroupTest.vigil("sentinel", conf.toString()).code();
    } finally {
      System.setErr(before);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("vigil: tls-cert-file " + missing + ": no such file" + System.lineSeparator());
  }
}
