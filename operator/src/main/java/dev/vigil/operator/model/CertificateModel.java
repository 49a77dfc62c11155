package dev.vigil.operator.model;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cert-manager Certificate of a group with {@code spec.tls.issuerRef}: one certificate for
 * server and client auth (Valkey and the daemons present it to each other), naming every host a
 * client or peer dials.
 */
public final class CertificateModel {
  /** The cluster DNS domain the fully qualified Service names end in. */
  public static final String CLUSTER_DOMAIN = "cluster.local";

  private CertificateModel() {}

  public static Optional<Certificate> desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    TlsSpec t = TlsParts.spec(c);
    if (!t.on() || !t.certManager()) {
      return Optional.empty();
    }
    return Optional.of(new CertificateBuilder()
        .withMetadata(Labels.meta(c, TlsParts.certificateName(c), Labels.VALKEY))
        .withNewSpec()
        .withSecretName(TlsParts.secretName(c))
        // The operator's Secret informer selects these labels: a renewal reconciles the cluster.
        .withNewSecretTemplate().withLabels(Labels.of(c, Labels.VALKEY)).endSecretTemplate()
        .withNewIssuerRef().withName(t.issuerRef.name).withKind(t.issuerRef.kind)
        .withGroup(t.issuerRef.group).endIssuerRef()
        .withCommonName(commonName(c))
        .withDnsNames(dnsNames(c))
        .withIpAddresses("127.0.0.1", "::1")
        .withUsages("server auth", "client auth", "digital signature", "key encipherment")
        // PKCS#8: the daemons refuse SEC1 EC keys; a new key at each renewal.
        .withNewPrivateKey().withAlgorithm("ECDSA").withSize(256).withEncoding("PKCS8")
        .withRotationPolicy("Always").endPrivateKey()
        .withDuration(duration(t.duration))
        .withRenewBefore(duration(t.renewBefore))
        .endSpec().build());
  }

  /** The write Service's .svc name when it fits (64 characters), else none: the SANs are what counts. */
  private static String commonName(ValkeyCluster c) {
    String cn = Names.serviceHost(c, Names.writeService(c));
    return cn.length() <= 64 ? cn : null;
  }

  /**
   * Each Service's short, namespaced, .svc and cluster-domain names; the same forms of a wildcard
   * under the headless Service (each pod's stable name, which the daemons dial and check);
   * localhost (probes); then the user's extra names.
   */
  public static List<String> dnsNames(ValkeyCluster c) {
    String ns = c.getMetadata().getNamespace();
    Set<String> names = new LinkedHashSet<>();
    for (String svc : List.of(Names.writeService(c), Names.readService(c), Names.headlessService(c),
        Names.sentinelService(c))) {
      names.addAll(forms(svc, ns));
    }
    for (String f : forms(Names.headlessService(c), ns)) {
      names.add("*." + f);
    }
    names.add("localhost");
    names.addAll(TlsParts.spec(c).dnsNames);
    return new ArrayList<>(names);
  }

  private static List<String> forms(String service, String ns) {
    return List.of(service, service + "." + ns, service + "." + ns + ".svc",
        service + "." + ns + ".svc." + CLUSTER_DOMAIN);
  }

  private static io.fabric8.kubernetes.api.model.Duration duration(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return io.fabric8.kubernetes.api.model.Duration.parse(text);
    } catch (ParseException e) {
      // SpecValidator refuses such a spec before any model is built.
      throw new IllegalArgumentException(text, e);
    }
  }
}
