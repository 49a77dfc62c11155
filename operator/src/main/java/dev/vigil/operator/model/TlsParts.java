package dev.vigil.operator.model;

import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code spec.tls} adds to the pods and their configuration, in one place: names, ports, the
 * valkey.conf and vigil.conf lines, the certificate volume, the flags of valkey-cli probes.
 *
 * <p>Two shapes. TLS only ({@code plaintext: false}): Valkey and the daemons speak TLS on
 * {@code spec.port} and {@code spec.sentinel.port}, the plaintext ports are 0, replication and
 * the daemons' links use TLS. Migration ({@code plaintext: true}): the plaintext ports stay as
 * they were, TLS is added on {@code tls.port}/{@code tls.sentinelPort} for clients to move to,
 * and replication and daemon links stay plaintext until plaintext is switched off.
 */
public final class TlsParts {
  /** The certificate, key and CA bundle, one directory (never subPath: it would never update). */
  public static final String DIR = "/etc/tls";
  public static final String CERT_FILE = DIR + "/tls.crt";
  public static final String KEY_FILE = DIR + "/tls.key";
  public static final String CA_FILE = DIR + "/ca.crt";
  static final String VOLUME = "tls";
  /** init-node's flag naming the ports it dials over TLS; in its args, it marks a migration's phases. */
  static final String TLS_PORTS_FLAG = "--tls-ports";

  private TlsParts() {}

  static TlsSpec spec(ValkeyCluster c) {
    return c.getSpec().tls == null ? new TlsSpec() : c.getSpec().tls;
  }

  public static boolean on(ValkeyCluster c) {
    return spec(c).on();
  }

  /** Whether the group's own links (replication, daemons, operator) use TLS. */
  public static boolean links(ValkeyCluster c) {
    return on(c) && !spec(c).keepsPlaintext();
  }

  /** The cert-manager Certificate the operator creates (when issuerRef is set). */
  public static String certificateName(ValkeyCluster c) {
    return c.getMetadata().getName() + "-tls";
  }

  /** The Secret holding the certificate and key: the user's, or the one cert-manager writes. */
  public static String secretName(ValkeyCluster c) {
    TlsSpec t = spec(c);
    return t.secretName != null && !t.certManager() ? t.secretName : certificateName(c);
  }

  public static String caSecretName(ValkeyCluster c) {
    TlsSpec t = spec(c);
    return t.caSecretName != null && !t.caSecretName.isBlank() ? t.caSecretName : secretName(c);
  }

  /** Valkey's plaintext port: 0 (none) under TLS only. */
  public static int valkeyPlainPort(ValkeyCluster c) {
    return on(c) && !spec(c).keepsPlaintext() ? 0 : c.getSpec().port;
  }

  /** Valkey's TLS port, or 0 without TLS. */
  public static int valkeyTlsPort(ValkeyCluster c) {
    return !on(c) ? 0 : spec(c).keepsPlaintext() ? spec(c).port : c.getSpec().port;
  }

  public static int daemonPlainPort(ValkeyCluster c) {
    return on(c) && !spec(c).keepsPlaintext() ? 0 : c.getSpec().sentinel.port;
  }

  public static int daemonTlsPort(ValkeyCluster c) {
    return !on(c) ? 0 : spec(c).keepsPlaintext() ? spec(c).sentinelPort : c.getSpec().sentinel.port;
  }

  /**
   * The port daemons reach each other at: the one their hellos announce (the TLS port when the
   * group's links use TLS, as the daemon's helloPort picks).
   */
  public static int daemonLinkPort(ValkeyCluster c) {
    return links(c) ? daemonTlsPort(c) : daemonPlainPort(c);
  }

  /**
   * The port a node announces and is known by: its TLS port once a migration moved the group's
   * addresses there ({@link TlsMode#TLS_ADDRESSES}), else the spec's port (the TLS one under TLS
   * only).
   */
  public static int nodeAddressPort(ModelInput in) {
    return in.tlsShape() == TlsMode.TLS_ADDRESSES ? valkeyTlsPort(in.cluster()) : in.port();
  }

  /** The port a daemon announces and its peers know it by, in the shape being built. */
  public static int daemonAddressPort(ModelInput in) {
    return in.tlsShape() == TlsMode.TLS_ADDRESSES ? daemonTlsPort(in.cluster()) : daemonLinkPort(in.cluster());
  }

  /** The TLS ports a migration's phases dial over TLS, as init-node and the daemons take them. */
  private static List<Integer> migrationTlsPorts(ValkeyCluster c) {
    return List.of(valkeyTlsPort(c), daemonTlsPort(c));
  }

  /** The args of a pod's init-node container (none when it has none). */
  static List<String> initNodeArgs(PodSpec pod) {
    if (pod == null || pod.getInitContainers() == null) {
      return List.of();
    }
    return pod.getInitContainers().stream().filter(x -> "init-node".equals(x.getName()) && x.getArgs() != null)
        .findFirst().map(x -> x.getArgs()).orElse(List.of());
  }

  /**
   * init-node's TLS arguments: its own certificate (client auth) and, in a migration's phases, the
   * ports to dial over TLS; with TLS only, every daemon over TLS.
   */
  static List<String> initNodeTls(ModelInput in) {
    ValkeyCluster c = in.cluster();
    List<String> material = List.of("--cacert", CA_FILE, "--cert", CERT_FILE, "--key", KEY_FILE);
    List<String> out = new ArrayList<>();
    if (in.tlsShape().phase()) {
      out.add(TLS_PORTS_FLAG);
      out.add(migrationTlsPorts(c).stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
      out.addAll(material);
    } else if (on(c) && daemonPlainPort(c) == 0) {
      out.add("--tls");
      out.addAll(material);
    }
    return out;
  }

  /** Valkey's and the daemons' tls-auth-clients value. */
  static String authClients(ValkeyCluster c) {
    return switch (spec(c).clientAuth) {
      case none -> "no";
      case optional -> "optional";
      case required -> "yes";
    };
  }

  /**
   * The TLS lines of valkey.conf (none without TLS). In a migration's phases the node pins the port
   * it announces: a daemon that points it at a master on a TLS port turns its {@code
   * tls-replication} on, and without the pin it would then announce its TLS port before its phase
   * says so, and be known by two addresses.
   */
  static String valkeyConf(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (!on(c)) {
      return "";
    }
    return "tls-port " + valkeyTlsPort(c) + "\n"
        + "tls-cert-file " + CERT_FILE + "\n"
        + "tls-key-file " + KEY_FILE + "\n"
        + "tls-ca-cert-file " + CA_FILE + "\n"
        + "tls-auth-clients " + authClients(c) + "\n"
        + "tls-replication " + (links(c) ? "yes" : "no") + "\n"
        + (in.tlsShape().phase() ? "replica-announce-port " + nodeAddressPort(in) + "\n" : "");
  }

  /**
   * The {@code tls} block of the daemons' HOCON, indented for inside {@code vigil { }}. In a
   * migration's phases the daemons dial by port ({@code ports}) and, once the addresses move,
   * announce their TLS port.
   */
  static String vigilConf(ModelInput in) {
    ValkeyCluster c = in.cluster();
    if (!on(c)) {
      return "";
    }
    String links = in.tlsShape().phase()
        ? "ports = " + migrationTlsPorts(c)
        : "replication = " + links(c);
    // Starts with a line break and ends without one: it goes at the end of a line of the file.
    return "\n  tls {"
        + "\n    port = " + daemonTlsPort(c)
        + "\n    cert-file = \"" + CERT_FILE + "\""
        + "\n    key-file = \"" + KEY_FILE + "\""
        + "\n    ca-cert-file = \"" + CA_FILE + "\""
        + "\n    auth-clients = \"" + authClients(c) + "\""
        + "\n    " + links
        + "\n  }"
        + (in.tlsShape() == TlsMode.TLS_ADDRESSES ? "\n  announce-port = " + daemonAddressPort(in) : "");
  }

  /**
   * valkey-cli arguments for a probe inside the pod: over TLS with the pod's own certificate (it
   * allows client auth) when TLS is on, so the probe works whatever clientAuth says.
   */
  static String cli(ValkeyCluster c) {
    if (!on(c)) {
      return "valkey-cli -p " + c.getSpec().port;
    }
    return "valkey-cli --tls --cacert " + CA_FILE + " --cert " + CERT_FILE + " --key " + KEY_FILE
        + " -p " + valkeyTlsPort(c);
  }

  /**
   * The certificate Secret and the CA Secret projected into one directory. Projected Secrets are
   * updated in place by the kubelet (a symlink swap), which Valkey (on CONFIG SET) and the daemons
   * (by content, every few seconds) pick up.
   */
  static Volume volume(ValkeyCluster c) {
    TlsSpec t = spec(c);
    List<VolumeProjection> sources = new ArrayList<>();
    List<KeyToPath> items = new ArrayList<>(List.of(new KeyToPath(t.certKey, null, "tls.crt"),
        new KeyToPath(t.keyKey, null, "tls.key")));
    boolean sameSecret = caSecretName(c).equals(secretName(c));
    if (sameSecret) {
      items.add(new KeyToPath(t.caKey, null, "ca.crt"));
    }
    sources.add(new VolumeProjectionBuilder().withNewSecret().withName(secretName(c)).withItems(items)
        .endSecret().build());
    if (!sameSecret) {
      sources.add(new VolumeProjectionBuilder().withNewSecret().withName(caSecretName(c))
          .withItems(new KeyToPath(t.caKey, null, "ca.crt")).endSecret().build());
    }
    // 0440 with the pods' fsGroup: readable by Valkey and the daemon, by no one else.
    return new VolumeBuilder().withName(VOLUME).withNewProjected().withDefaultMode(0440)
        .withSources(sources).endProjected().build();
  }

  /** A pod's certificate volume, if it was built with TLS. */
  static Optional<Volume> volumeOf(PodSpec pod) {
    return pod == null || pod.getVolumes() == null ? Optional.empty()
        : pod.getVolumes().stream().filter(v -> VOLUME.equals(v.getName())).findFirst();
  }

  /** A named port of any of a pod's containers. */
  public static Optional<Integer> containerPort(PodSpec pod, String name) {
    return pod == null || pod.getContainers() == null ? Optional.empty() : pod.getContainers().stream()
        .filter(x -> x.getPorts() != null).flatMap(x -> x.getPorts().stream())
        .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null)
        .map(ContainerPort::getContainerPort).findFirst();
  }

  static VolumeMount mount() {
    return new VolumeMountBuilder().withName(VOLUME).withMountPath(DIR).withReadOnly(true).build();
  }

  /** Adds the certificate volume's mount to a container's mounts, when TLS is on. */
  static void mountInto(ValkeyCluster c, List<VolumeMount> mounts) {
    if (on(c)) {
      mounts.add(mount());
    }
  }

  /**
   * The Service port of a TLS container port that exists only while plaintext is kept (a
   * migration): {@code valkey-tls} or {@code sentinel-tls}; none otherwise.
   */
  static List<io.fabric8.kubernetes.api.model.ServicePort> migrationPorts(ValkeyCluster c, String name) {
    if (!spec(c).keepsPlaintext()) {
      return List.of();
    }
    return List.of(ServiceParts.port(name, name.equals(PortNames.VALKEY_TLS) ? valkeyTlsPort(c) : daemonTlsPort(c)));
  }

  /** What the connection Secret says about TLS: whether, where, which name to check, which CA. */
  static void connection(ValkeyCluster c, Map<String, String> d) {
    d.put("tls", Boolean.toString(on(c)));
    if (!on(c)) {
      return;
    }
    d.put("tlsPort", Integer.toString(valkeyTlsPort(c)));
    d.put("sentinelTlsPort", Integer.toString(daemonTlsPort(c)));
    // The name to expect in the server's certificate (SNI / host-name check): the write Service's.
    d.put("tlsServerName", Names.serviceHost(c, Names.writeService(c)));
    d.put("caSecret", caSecretName(c));
    d.put("caKey", spec(c).caKey);
    d.put("clientAuth", spec(c).clientAuth.name());
  }
}
