package dev.vigil.operator.master;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.Names;
import dev.vigil.operator.model.PortNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's daemons and nodes are, from its pods: daemons at each pod's IP (the sidecars,
 * or the daemon Deployment's pods) on the sentinel port; a master address maps back to the pod
 * whose IP or stable DNS name it is. Tests substitute their own ports.
 */
public interface Endpoints {
  List<HostPort> daemons(ValkeyCluster c, List<Pod> pods);

  Optional<String> podFor(ValkeyCluster c, HostPort master, List<Pod> pods);

  /** Where a pod's Valkey listens, for the commands the operator sends to nodes. */
  HostPort node(ValkeyCluster c, Pod pod);

  /** In a cluster: pod IPs and the spec's ports. */
  Endpoints POD_IPS = new Endpoints() {
    @Override
    public List<HostPort> daemons(ValkeyCluster c, List<Pod> pods) {
      boolean sidecar = c.getSpec().sentinel.mode == dev.vigil.operator.api.SentinelSpec.Mode.sidecar;
      String component = sidecar ? Labels.VALKEY : Labels.SENTINEL;
      List<HostPort> out = new ArrayList<>();
      for (Pod p : pods) {
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        if (ip != null && component.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
          out.add(new HostPort(ip, servedPort(p, PortNames.SENTINEL, c.getSpec().sentinel.port)));
        }
      }
      return out;
    }

    @Override
    public Optional<String> podFor(ValkeyCluster c, HostPort master, List<Pod> pods) {
      return byAddress(c, master, pods);
    }

    @Override
    public HostPort node(ValkeyCluster c, Pod pod) {
      return new HostPort(pod.getStatus().getPodIP(), servedPort(pod, PortNames.VALKEY, c.getSpec().port));
    }
  };

  /**
   * The port a pod serves under a name (its TLS-only port, or its plaintext one while plaintext is
   * kept), read from the pod: in a migration to TLS only and back, the spec already names the end
   * state's ports while pods not yet rolled serve the ones they were built with.
   */
  static int servedPort(Pod p, String name, int fallback) {
    return dev.vigil.operator.model.TlsParts.containerPort(p.getSpec(), name).orElse(fallback);
  }

  /** The Valkey pod whose IP, stable DNS name or pod name the address carries. */
  static Optional<String> byAddress(ValkeyCluster c, HostPort master, List<Pod> pods) {
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      if (!Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
        continue;
      }
      String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
      if (master.host().equals(ip) || master.host().equals(Names.podHost(c, name))
          || master.host().startsWith(name + ".")) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }
}
