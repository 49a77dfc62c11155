package dev.vigil.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyClusterSpec;
import org.junit.jupiter.api.Test;

class TlsValidatorTest {
  private static ValkeyClusterSpec tls() {
    ValkeyClusterSpec s = new ValkeyClusterSpec();
    s.tls.enabled = true;
    s.tls.issuerRef = new TlsSpec.IssuerRef();
    s.tls.issuerRef.name = "ca";
    return s;
  }

  @Test
  void certManagerOrAnExistingSecretAreValid() {
    assertThat(SpecValidator.problems(tls())).isEmpty();
    ValkeyClusterSpec own = new ValkeyClusterSpec();
    own.tls.enabled = true;
    own.tls.secretName = "my-tls";
    own.tls.caSecretName = "ca-bundle";
    own.tls.clientAuth = TlsSpec.ClientAuth.none;
    assertThat(SpecValidator.problems(own)).isEmpty();
    ValkeyClusterSpec off = new ValkeyClusterSpec();
    off.tls.secretName = "";
    assertThat(SpecValidator.problems(off)).as("nothing of spec.tls is checked while it is off").isEmpty();
  }

  @Test
  void exactlyOneSourceOfCertificates() {
    ValkeyClusterSpec neither = new ValkeyClusterSpec();
    neither.tls.enabled = true;
    ValkeyClusterSpec both = tls();
    both.tls.secretName = "my-tls";
    String message = "spec.tls needs exactly one of issuerRef (cert-manager issues the certificate) and "
        + "secretName (an existing Secret)";
    assertThat(SpecValidator.problems(neither)).containsExactly(message);
    assertThat(SpecValidator.problems(both)).containsExactly(message);
  }

  @Test
  void eachBadFieldIsNamedWithWhatToDo() {
    ValkeyClusterSpec s = tls();
    s.tls.issuerRef.name = " ";
    s.tls.issuerRef.kind = "Issuers";
    s.tls.duration = "90 days";
    s.tls.renewBefore = "-1h";
    s.tls.caKey = "ca/crt";
    s.tls.expiryWarningDays = 0;
    s.tls.dnsNames.add("not a name");
    s.config.put("tls-port", "6390");
    assertThat(SpecValidator.problems(s)).containsExactlyInAnyOrder(
        "spec.tls.issuerRef.name must name an Issuer or ClusterIssuer",
        "spec.tls.issuerRef.kind must be Issuer or ClusterIssuer (got Issuers)",
        "spec.tls.duration must be a duration such as 2160h or 90m (got 90 days)",
        "spec.tls.renewBefore must not be negative (got -1h)",
        "spec.tls.caKey must be a Secret key (letters, digits, '-', '_', '.'), got ca/crt",
        "spec.tls.expiryWarningDays must be at least 1",
        "spec.tls.dnsNames entry 'not a name' is not a DNS name",
        "spec.config.tls-port is set from spec.tls while TLS is on; remove it");
  }

  @Test
  void aMigrationNeedsTlsPortsOfItsOwn() {
    ValkeyClusterSpec s = tls();
    s.tls.plaintext = true;
    assertThat(SpecValidator.problems(s)).isEmpty();
    s.tls.port = 6379;
    s.tls.sentinelPort = 26380;
    assertThat(SpecValidator.problems(s)).containsExactlyInAnyOrder(
        "spec.tls.port (6379) must differ from spec.port, spec.sentinel.port and 26380 while plaintext is kept",
        "spec.tls.sentinelPort (26380) must differ from spec.port, spec.sentinel.port, 26380 and spec.tls.port "
            + "while plaintext is kept");
    s.tls.plaintext = false;
    assertThat(SpecValidator.problems(s)).as("TLS only: those ports are not used").isEmpty();
  }

  @Test
  void daemonsInADeploymentMayUseTls() {
    ValkeyClusterSpec s = tls();
    s.sentinel.mode = SentinelSpec.Mode.deployment;
    assertThat(SpecValidator.problems(s)).isEmpty();
  }

  @Test
  void durationsBelongToCertManagerOnly() {
    ValkeyClusterSpec s = new ValkeyClusterSpec();
    s.tls.enabled = true;
    s.tls.secretName = "mine";
    s.tls.duration = "24h";
    assertThat(SpecValidator.problems(s)).containsExactly("spec.tls.duration and renewBefore apply to "
        + "cert-manager only; with secretName the Secret's owner renews it");
  }
}
