package dev.vigil.sentinel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentinel's TLS directives and their HOCON equivalents read into the same settings. */
class TlsConfigTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void sentinelConfAndHoconMeanTheSame() throws IOException {
    LoadedConfig conf = ConfigLoader.load(write("sentinel.conf", """
        port 0
        tls-port 26390
        tls-cert-file /certs/tls.crt
        tls-key-file /certs/tls.key
        tls-key-file-pass secret
        tls-ca-cert-file /certs/ca.crt
        tls-ca-cert-dir /certs/cas
        tls-auth-clients optional
        tls-replication yes
        tls-protocols "TLSv1.2 TLSv1.3"
        tls-ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384
        tls-ciphersuites TLS_AES_256_GCM_SHA384
        tls-prefer-server-ciphers yes
        tls-client-cert-file /certs/client.crt
        tls-client-key-file /certs/client.key
        sentinel monitor mymaster 127.0.0.1 6380 2
        """), Map.of());
    LoadedConfig hocon = ConfigLoader.load(write("vigil.conf", """
        vigil {
          port = 0
          tls {
            port = 26390, cert-file = "/certs/tls.crt", key-file = "/certs/tls.key"
            key-file-pass = secret, ca-cert-file = "/certs/ca.crt", ca-cert-dir = "/certs/cas"
            auth-clients = optional, replication = true, protocols = "TLSv1.2 TLSv1.3"
            ciphers = "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384"
            ciphersuites = TLS_AES_256_GCM_SHA384, prefer-server-ciphers = true
            client-cert-file = "/certs/client.crt", client-key-file = "/certs/client.key"
          }
          masters { mymaster { host = "127.0.0.1", port = 6380, quorum = 2 } }
        }
        """), Map.of());
    TlsSettings t = conf.config().tls();
    assertThat(t).isEqualTo(hocon.config().tls());
    assertThat(conf.warnings()).noneMatch(w -> w.contains("tls"));
    assertThat(conf.config().port()).isZero();
    assertThat(t.port()).isEqualTo(26390);
    assertThat(t.certFile()).isEqualTo(Path.of("/certs/tls.crt"));
    assertThat(t.keyFilePass()).isEqualTo("secret");
    assertThat(t.caCertDir()).isEqualTo(Path.of("/certs/cas"));
    assertThat(t.authClients()).isEqualTo(TlsSettings.ClientAuth.OPTIONAL);
    assertThat(t.replication()).isTrue();
    assertThat(t.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(t.ciphers()).containsExactly("ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES256-GCM-SHA384");
    assertThat(t.ciphersuites()).containsExactly("TLS_AES_256_GCM_SHA384");
    assertThat(t.preferServerCiphers()).isTrue();
    assertThat(t.outboundCertFile()).isEqualTo(Path.of("/certs/client.crt"));
    assertThat(t.reloadPeriod()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void defaultsAreSentinels() throws IOException {
    TlsSettings t = ConfigLoader.load(write("s.conf", "port 26379\n"), Map.of()).config().tls();
    assertThat(t.inUse()).isFalse();
    assertThat(t.authClients()).isEqualTo(TlsSettings.ClientAuth.YES);
    assertThat(t.replication()).isFalse();
    assertThat(t.protocols()).isEqualTo(List.of());
  }

  @Test
  void aMigrationsTlsPortsMeanTheSameInBothFormsAndDecideEachLink() throws IOException {
    String files = "tls-cert-file /a.crt\ntls-key-file /a.key\ntls-ca-cert-file /ca.crt\n";
    TlsSettings conf = ConfigLoader.load(write("m.conf", "port 26379\n" + files
        + "sentinel vigil-tls-ports 6380 26381\nsentinel monitor m 127.0.0.1 6379 2\n"),
        Map.of()).config().tls();
    TlsSettings hocon = ConfigLoader.load(write("m-vigil.conf", """
        vigil {
          tls { cert-file = "/a.crt", key-file = "/a.key", ca-cert-file = "/ca.crt",
                ports = [6380, 26381] }
          masters { m { host = "127.0.0.1", port = 6379, quorum = 2 } }
        }
        """), Map.of()).config().tls();
    assertThat(conf).isEqualTo(hocon);
    assertThat(conf.inUse()).isTrue();
    assertThat(conf.tlsTo(6380)).isTrue();
    assertThat(conf.tlsTo(26381)).isTrue();
    assertThat(conf.tlsTo(6379)).as("plaintext to every other port").isFalse();
    assertThat(conf.ports().replicationFor(new Address("v-1", 6380))).isEqualTo("yes");
    assertThat(conf.ports().replicationFor(new Address("v-1", 6379))).isEqualTo("no");

    assertThatThrownBy(() -> ConfigLoader.load(write("both.conf", "port 26379\n" + files
        + "tls-replication yes\nsentinel vigil-tls-ports 6380\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("with tls-replication on every link is TLS: set one of them");
    assertThatThrownBy(() -> ConfigLoader.load(write("bare.conf",
        "port 26379\nsentinel vigil-tls-ports 6380\n"), Map.of()))
        .hasMessageContaining("tls ports needs tls-cert-file and tls-key-file");
    assertThatThrownBy(() -> ConfigLoader.load(write("range.conf", "port 26379\n" + files
        + "sentinel vigil-tls-ports 70000\n"), Map.of()))
        .hasMessageContaining("TLS port out of range: 70000");
  }

  @Test
  void incompleteSettingsAreOneLineErrors() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(write("a.conf", "port 0\ntls-port 26390\n"),
        Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-port needs tls-cert-file and tls-key-file");
    assertThatThrownBy(() -> ConfigLoader.load(write("b.conf", """
        tls-replication yes
        tls-cert-file /a.crt
        tls-key-file /a.key
        """), Map.of())).hasMessageContaining("tls-replication needs tls-ca-cert-file");
    assertThatThrownBy(() -> ConfigLoader.load(write("c.conf", "port 1\ntls-auth-clients maybe\n"),
        Map.of())).hasMessageContaining("tls-auth-clients must be yes, no or optional");
    assertThatThrownBy(() -> ConfigLoader.load(write("d.conf", "port 1\ntls-replication perhaps\n"),
        Map.of())).hasMessageContaining("d.conf:2").hasMessageContaining("expected yes or no");
  }

  @Test
  void theTlsPortCanComeFromTheEnvironment() throws IOException {
    TlsSettings t = ConfigLoader.load(write("e.conf", """
        port 26379
        tls-cert-file /a.crt
        tls-key-file /a.key
        tls-ca-cert-file /ca.crt
        """), Map.of("VIGIL_TLS_PORT", "26400")).config().tls();
    assertThat(t.port()).isEqualTo(26400);
  }
}
