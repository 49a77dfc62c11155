package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.TlsStatus;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.TlsMaterial;
import dev.vigil.operator.model.PortNames;
import dev.vigil.operator.model.TlsMode;
import dev.vigil.operator.model.TlsParts;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a reconcile knows of a group's certificates, and what follows from it: the material the
 * operator's links use, the nodes that must re-read their certificate files, the expiries shown
 * in status. Reading is {@link #read}; the rest are pure functions of the snapshot.
 */
final class TlsObserved {
  private TlsObserved() {}

  /**
   * Adds the certificate Secret, the CA Secret and the cert-manager Certificate to what a
   * snapshot holds. The Secret cert-manager writes carries the operator's labels (its informer
   * sees a renewal at once); a Secret of the user's is read from the API.
   */
  static void read(ValkeyCluster c, ObjectCache cache, Map<String, HasMetadata> existing, List<Pod> pods) {
    String ns = c.getMetadata().getNamespace();
    TlsSpec t = c.getSpec().tls;
    boolean issued = c.getStatus() != null && c.getStatus().tls != null && c.getStatus().tls.certificate != null;
    if (t != null && t.on() && t.certManager() || issued) {
      // Also when TLS was switched off or away from cert-manager: the Certificate is then deleted.
      put(existing, Certificate.class, cache.get(Certificate.class, ns, TlsParts.certificateName(c)));
    }
    // Pods that still serve TLS while the spec says otherwise (a refused change, a walk back to no
    // TLS) keep being reached and reloaded with it.
    if (t == null || !t.on() && servingTls(pods).isEmpty()) {
      return;
    }
    String name = TlsParts.secretName(c);
    Secret cert = t.certManager() ? cache.get(Secret.class, ns, name) : null;
    put(existing, Secret.class, cert != null ? cert : cache.uncached(Secret.class, ns, name));
    String ca = TlsParts.caSecretName(c);
    if (!ca.equals(name)) {
      put(existing, Secret.class, cache.uncached(Secret.class, ns, ca));
    }
  }

  private static void put(Map<String, HasMetadata> existing, Class<? extends HasMetadata> kind, HasMetadata o) {
    if (o != null) {
      existing.put(ClusterSnapshot.ref(kind, o.getMetadata().getName()), o);
    }
  }

  private static String data(Secret s, String key) {
    if (s == null) {
      return null;
    }
    if (s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    return s.getStringData() == null ? null : s.getStringData().get(key);
  }

  /** The group's certificate, key and CA bundle, when TLS is on and all three are there. */
  static Optional<TlsMaterial> material(ClusterSnapshot s) {
    ValkeyCluster c = s.cluster();
    if (!servesTls(s)) {
      return Optional.empty();
    }
    TlsSpec t = c.getSpec().tls;
    String cert = data(s.existing(Secret.class, TlsParts.secretName(c)), t.certKey);
    String key = data(s.existing(Secret.class, TlsParts.secretName(c)), t.keyKey);
    String ca = data(s.existing(Secret.class, TlsParts.caSecretName(c)), t.caKey);
    if (cert == null || key == null || ca == null) {
      return Optional.empty();
    }
    try {
      TlsMaterial m = new TlsMaterial(cert, key, ca);
      m.leafSha256();
      TlsMaterial.certificates(ca);
      return Optional.of(m);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The material of the operator's own links: only while some pod serves TLS only. */
  static Optional<TlsMaterial> linkMaterial(ClusterSnapshot s) {
    return hosts(s).isEmpty() ? Optional.empty() : material(s);
  }

  /**
   * The hosts (pod IPs) the operator's links reach over TLS: those of the pods built TLS only,
   * read from each pod rather than the spec, so a pod not yet rolled, or every pod while a change
   * across TLS only is refused, is reached as it serves.
   */
  static List<String> hosts(ClusterSnapshot s) {
    return tlsOnly(s.pods()).stream().filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .map(p -> p.getStatus().getPodIP()).distinct().toList();
  }

  /**
   * Whether the spec asks for TLS or some pod still serves it (a walk back to no TLS, a refused
   * change): the certificate is in use, and its expiry is reported, as long as either holds.
   */
  private static boolean servesTls(ClusterSnapshot s) {
    return s.cluster().getSpec().tls != null && (TlsParts.on(s.cluster()) || !servingTls(s.pods()).isEmpty());
  }

  private static List<Pod> servingTls(List<Pod> pods) {
    return pods.stream().filter(p -> p.getSpec() != null && TlsMode.of(p.getSpec()) != TlsMode.OFF).toList();
  }

  private static List<Pod> tlsOnly(List<Pod> pods) {
    return pods.stream().filter(p -> p.getSpec() != null && TlsMode.of(p.getSpec()) == TlsMode.ON).toList();
  }

  static String reloadSlot(String uid) {
    return "tls-reload:" + uid;
  }

  /**
   * A reload for each reachable node that has not yet been seen serving the current material:
   * CONFIG SET of the same three file paths, in one call, re-reads them. The value is the
   * material's fingerprint, so a renewal (or a new CA bundle) asks every node again.
   */
  static List<Command> reloads(ClusterSnapshot s, List<NodeView> nodes) {
    Optional<TlsMaterial> m = material(s);
    if (m.isEmpty()) {
      return List.of();
    }
    String value = m.get().fingerprint().substring(0, 16);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("tls-cert-file", TlsParts.CERT_FILE);
    parameters.put("tls-key-file", TlsParts.KEY_FILE);
    parameters.put("tls-ca-cert-file", TlsParts.CA_FILE);
    List<Command> out = new ArrayList<>();
    for (NodeView n : nodes) {
      String slot = reloadSlot(n.uid());
      Optional<HostPort> tls = n.reachable() ? tlsAddress(s, n) : Optional.empty();
      if (tls.isPresent() && Progress.of(s.commands().get(slot), value, s.now()) == Progress.SEND) {
        out.add(new Command.TlsReload(slot, value, tls.get(), m.get(), parameters));
      }
    }
    return out;
  }

  /**
   * Where a node serves TLS, read from its pod (a migration's pods serve it beside the port the
   * operator reaches them at, a TLS-only pod on that port), or empty when it serves none. An
   * offset from the node's address, so that endpoints that place nodes elsewhere keep it.
   */
  static Optional<HostPort> tlsAddress(ClusterSnapshot s, NodeView n) {
    if (n.address() == null) {
      return Optional.empty();
    }
    Optional<PodSpec> pod = s.pods().stream().filter(p -> p.getMetadata().getName().equals(n.name()))
        .map(Pod::getSpec).filter(x -> x != null && x.getContainers() != null && !x.getContainers().isEmpty())
        .findFirst();
    if (pod.isEmpty()) {
      // A pod that tells nothing of its shape (never so from the API server): the spec's ports.
      ValkeyCluster c = s.cluster();
      return TlsParts.on(c) ? Optional.of(new HostPort(n.address().host(),
          n.address().port() - c.getSpec().port + TlsParts.valkeyTlsPort(c))) : Optional.empty();
    }
    return switch (TlsMode.of(pod.get())) {
      case OFF -> Optional.empty();
      case ON -> Optional.of(n.address());
      default -> TlsParts.containerPort(pod.get(), PortNames.VALKEY_TLS).map(tls -> new HostPort(n.address().host(),
          n.address().port() - TlsParts.containerPort(pod.get(), PortNames.VALKEY).orElse(n.address().port()) + tls));
    };
  }

  /** Whether a reload is under way or waits to be tried again (the plan then looks again soon). */
  static boolean reloading(ClusterSnapshot s, List<NodeView> nodes) {
    Optional<TlsMaterial> m = material(s);
    if (m.isEmpty()) {
      return false;
    }
    String value = m.get().fingerprint().substring(0, 16);
    return nodes.stream().filter(n -> n.reachable() && tlsAddress(s, n).isPresent())
        .anyMatch(n -> Progress.of(s.commands().get(reloadSlot(n.uid())), value, s.now()) != Progress.DONE);
  }

  /** The certificates in use, the group's first, then each CA of the bundle. */
  static List<TlsStatus.Expiry> expiries(ClusterSnapshot s) {
    ValkeyCluster c = s.cluster();
    List<TlsStatus.Expiry> out = new ArrayList<>();
    if (!servesTls(s)) {
      return out;
    }
    TlsSpec t = c.getSpec().tls;
    add(out, TlsParts.secretName(c), t.certKey, data(s.existing(Secret.class, TlsParts.secretName(c)), t.certKey), true);
    add(out, TlsParts.caSecretName(c), t.caKey, data(s.existing(Secret.class, TlsParts.caSecretName(c)), t.caKey),
        false);
    return out;
  }

  private static void add(List<TlsStatus.Expiry> out, String secret, String key, String pem, boolean leafOnly) {
    if (pem == null) {
      return;
    }
    try {
      List<X509Certificate> certs = TlsMaterial.certificates(pem);
      for (X509Certificate x : leafOnly ? certs.subList(0, Math.min(1, certs.size())) : certs) {
        out.add(new TlsStatus.Expiry(secret, key, x.getSubjectX500Principal().getName(),
            x.getNotAfter().toInstant().toString()));
      }
    } catch (IllegalArgumentException e) {
      out.add(new TlsStatus.Expiry(secret, key, "unreadable: " + e.getMessage(), null));
    }
  }

  /** The status of TLS: certificates and the CertificateExpiringSoon condition (none without TLS). */
  static void status(ClusterSnapshot s, dev.vigil.operator.api.ValkeyClusterStatus st, String now) {
    ValkeyCluster c = s.cluster();
    if (!servesTls(s)) {
      st.tls = null;
      st.conditions.removeIf(x -> TlsStatus.EXPIRING_SOON.equals(x.getType()));
      return;
    }
    TlsStatus t = new TlsStatus();
    t.certificate = c.getSpec().tls.certManager() ? TlsParts.certificateName(c) : null;
    t.certificates = expiries(s);
    st.tls = t;
    Instant limit = Instant.ofEpochMilli(s.now()).plus(Duration.ofDays(c.getSpec().tls.expiryWarningDays));
    List<String> soon = new ArrayList<>();
    for (TlsStatus.Expiry e : t.certificates) {
      if (e.notAfter != null && Instant.parse(e.notAfter).isBefore(limit)) {
        soon.add(e.subject + " (" + e.secret + "/" + e.key + ") expires " + e.notAfter);
      }
    }
    String message = !soon.isEmpty() ? String.join("; ", soon)
        : t.certificates.isEmpty() ? "no certificate in Secret " + TlsParts.secretName(c) + " yet"
        : "no certificate expires within " + c.getSpec().tls.expiryWarningDays + " days";
    StatusPlan.condition(c, st, TlsStatus.EXPIRING_SOON, !soon.isEmpty(),
        soon.isEmpty() ? "CertificatesValid" : "ExpiresSoon", message, now);
  }
}
