package dev.vigil.operator.model;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the backup agent reaches the node it reads from: the pod's stable name, and the port and TLS
 * that node serves at that moment. Both come from the source pod's own spec (the template it was
 * started from), not from the cluster's spec: while a change of {@code spec.tls} rolls the pods
 * (OnDelete, one at a time), a pod not yet replaced still serves what it served before.
 *
 * <ul>
 *   <li>No certificate volume in the pod: plaintext, on its {@code valkey} port.
 *   <li>A {@code valkey-tls} port (a migration, {@code plaintext: true}): the node serves both;
 *       the agent uses TLS on that port, so a backup's data is encrypted as soon as it can be.
 *   <li>Otherwise (TLS only): TLS on its {@code valkey} port.
 * </ul>
 *
 * <p>With TLS the Job mounts the certificate Secrets the pod mounts, read-only, at the same
 * {@link TlsParts#DIR}: the CA bundle always, the group's certificate and key only when the node
 * may ask for a client certificate ({@code clientAuth} optional or required; the agent presents
 * it and the node checks it against the same CA). With {@code clientAuth: none} the key stays
 * out of the Job. The agent checks the node's name against the certificate, which names every
 * pod ({@code *.HEADLESS.NS.svc}, see {@link CertificateModel#dnsNames}).
 *
 * <p>{@code clientAuth} itself is read from the cluster's spec (a pod's spec does not show it):
 * a change from required to none that has not reached the source pod yet makes that backup fail
 * on the handshake, with the agent's reason in the status; the next one works.
 *
 * @param host the pod's stable DNS name
 * @param port the port the agent dials
 * @param certificates the Job's certificate volume (TLS), or empty (plaintext)
 * @param clientCertificate whether the agent presents the group's certificate
 */
public record BackupNodeLink(String host, int port, Optional<Volume> certificates, boolean clientCertificate) {
  static final String CA = "ca.crt";
  static final Set<String> CLIENT = Set.of("tls.crt", "tls.key");

  /** The link to {@code source}, one of {@code c}'s Valkey pods. */
  public static BackupNodeLink of(ValkeyCluster c, Pod source) {
    String host = Names.podHost(c, source.getMetadata().getName());
    int plainPort = TlsParts.containerPort(source.getSpec(), PortNames.VALKEY).orElse(c.getSpec().port);
    Optional<Volume> podTls = TlsParts.volumeOf(source.getSpec());
    if (podTls.isEmpty()) {
      return new BackupNodeLink(host, plainPort, Optional.empty(), false);
    }
    boolean client = TlsParts.spec(c).clientAuth != TlsSpec.ClientAuth.none;
    int port = TlsParts.containerPort(source.getSpec(), PortNames.VALKEY_TLS).orElse(plainPort);
    return new BackupNodeLink(host, port, Optional.of(jobVolume(podTls.get(), client)), client);
  }

  /**
   * The pod's projected certificate volume, narrowed to what the agent needs: the same Secrets
   * and keys (so a user's {@code secretName} or {@code caSecretName} carries over, also while
   * TLS is being switched off), the same file names. 0440 with the Job's fsGroup: the agent's
   * user reads them, no one else.
   */
  private static Volume jobVolume(Volume pod, boolean client) {
    List<VolumeProjection> sources = new ArrayList<>();
    for (VolumeProjection p : pod.getProjected().getSources()) {
      if (p.getSecret() == null) {
        continue;
      }
      List<KeyToPath> items = p.getSecret().getItems().stream()
          .filter(i -> CA.equals(i.getPath()) || client && CLIENT.contains(i.getPath()))
          .map(i -> new KeyToPath(i.getKey(), i.getMode(), i.getPath())).toList();
      if (!items.isEmpty()) {
        sources.add(new VolumeProjectionBuilder().withNewSecret().withName(p.getSecret().getName())
            .withItems(items).endSecret().build());
      }
    }
    return new VolumeBuilder().withName(TlsParts.VOLUME).withNewProjected().withDefaultMode(0440)
        .withSources(sources).endProjected().build();
  }

  public boolean tls() {
    return certificates.isPresent();
  }

  /** {@code --node HOST:PORT}, then the TLS options over the mounted files. */
  public List<String> args() {
    List<String> a = new ArrayList<>(List.of("--node", host + ":" + port));
    if (tls()) {
      a.addAll(List.of("--tls", "--cacert", TlsParts.CA_FILE));
      if (clientCertificate) {
        a.addAll(List.of("--tls-cert", TlsParts.CERT_FILE, "--tls-key", TlsParts.KEY_FILE));
      }
    }
    return a;
  }

  /** The certificate volume's mount (read-only, a directory: a renewal reaches a running Job too). */
  public Optional<VolumeMount> mount() {
    return certificates.map(v -> TlsParts.mount());
  }
}
