package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.PortNames;
import dev.vigil.operator.model.TlsMode;
import dev.vigil.operator.model.TlsParts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape {@code spec.tls} takes the running pods to next, as a pure function of the spec, the
 * pods and the StatefulSet: the shape asked for when every pod that runs or is about to be made
 * can keep replicating from and watching the pods of that shape ({@link TlsMode#compatibleWith});
 * otherwise the next shape on the walk across TLS only (no TLS, migration, links by port, TLS
 * addresses, TLS only, or back), one rolling change each. The shapes are read from the pods
 * themselves, so a restarted operator (or a new leader) takes the same step.
 *
 * <p>No port serves plaintext and TLS, and the walk serves both for a while: TLS only reached from
 * plaintext serves on other ports than plaintext did, the ones the spec names ({@code spec.port},
 * {@code spec.sentinel.port}; from a migration, its TLS ports, where clients already moved); the
 * way back serves plaintext on the spec's ports beside TLS where the pods serve it. The shapes on
 * the way are built from those ports (the spec names only the end's). A change that cannot walk
 * (ports that collide, a migration's ports changed half-way, no certificate left for the way
 * back) is refused with nothing applied.
 *
 * @param requested the shape the spec asks for
 * @param served the shapes of the existing Valkey pods and of the StatefulSet's template
 * @param target the shape to build the pods in now
 * @param build the cluster the models build {@code target} from: the spec's, or on the way, a
 *     migration's (TLS on, plaintext kept) on the walk's ports
 * @param refusal why the spec is refused, or empty
 */
record TlsModeChange(TlsMode requested, Set<TlsMode> served, TlsMode target, ValkeyCluster build,
    Optional<String> refusal, boolean moveMasterFirst) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  TlsModeChange {
    served = served.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(served));
  }

  TlsModeChange(TlsMode requested, Set<TlsMode> served, TlsMode target, ValkeyCluster build, Optional<String> refusal) {
    this(requested, served, target, build, refusal, false);
  }

  /** The ports pods serve while plaintext is kept: plaintext, then TLS, for Valkey and the daemons. */
  private record Ports(int valkey, int sentinel, int valkeyTls, int sentinelTls) {
    static Optional<Ports> of(PodSpec pod) {
      Optional<Integer> v = TlsParts.containerPort(pod, PortNames.VALKEY);
      Optional<Integer> s = TlsParts.containerPort(pod, PortNames.SENTINEL);
      Optional<Integer> vt = TlsParts.containerPort(pod, PortNames.VALKEY_TLS);
      Optional<Integer> st = TlsParts.containerPort(pod, PortNames.SENTINEL_TLS);
      return v.isEmpty() || s.isEmpty() || vt.isEmpty() || st.isEmpty() ? Optional.empty()
          : Optional.of(new Ports(v.get(), s.get(), vt.get(), st.get()));
    }
  }

  static TlsModeChange of(ValkeyCluster cr, List<Pod> pods, StatefulSet sts) {
    return of(cr, pods, sts, Optional.empty());
  }

  /**
   * @param agreed the master the daemons agree on: the steps that close the ports of one protocol
   *     (to TLS only; back to a migration, where links are plaintext) wait until it is known at an
   *     address of the other, asking for a switchover meanwhile
   */
  static TlsModeChange of(ValkeyCluster cr, List<Pod> pods, StatefulSet sts,
      Optional<dev.vigil.operator.master.HostPort> agreed) {
    TlsMode requested = TlsMode.of(cr);
    Set<TlsMode> served = EnumSet.noneOf(TlsMode.class);
    List<PodSpec> specs = new ArrayList<>();
    int valkeyPods = 0;
    for (Pod p : pods) {
      if (!Labels.VALKEY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))) {
        continue;
      }
      valkeyPods++;
      // A pod without containers tells nothing of its shape (never so from the API server).
      if (p.getSpec() != null && p.getSpec().getContainers() != null && !p.getSpec().getContainers().isEmpty()) {
        specs.add(p.getSpec());
      }
    }
    if (sts != null) {
      specs.add(sts.getSpec().getTemplate().getSpec());
    }
    specs.forEach(s -> served.add(TlsMode.of(s)));
    // One pod has no peer to lose: its roll is a restart, which it is anyway.
    boolean lonePod = cr.getSpec().replicas <= 1 && valkeyPods <= 1
        && (sts == null || sts.getSpec().getReplicas() == null || sts.getSpec().getReplicas() <= 1);
    // The last step of a walk (to TLS only, or back to a migration) goes by the walk too: it
    // closes one protocol's ports, which waits for the master on the other's.
    boolean lastStep = requested == TlsMode.ON && served.contains(TlsMode.TLS_ADDRESSES)
        || requested == TlsMode.MIGRATION && served.contains(TlsMode.LINKS_BY_PORT);
    if (lonePod || !lastStep && served.stream().allMatch(requested::compatibleWith)) {
      return new TlsModeChange(requested, served, requested, cr, Optional.empty());
    }
    // Pods already split between incompatible shapes (left so by an older operator; a migration's
    // walk never splits them) talk to each other only once the roll finishes, whichever way it
    // goes: refusing would keep them split.
    boolean split = served.stream().anyMatch(a -> served.stream().anyMatch(b -> !a.compatibleWith(b)));
    if (split) {
      return new TlsModeChange(requested, served, requested, cr, Optional.empty());
    }
    return walk(cr, requested, served, specs, agreed);
  }

  /**
   * A migration's next step: towards TLS only, one shape past the least advanced pod; back, one
   * shape before the most advanced (down to no TLS when the spec asks for none). Every pod then
   * runs a neighbour of the target. The shapes on the way keep the plaintext ports and serve TLS on
   * the TLS ports: forward, those the pods serve in plaintext and the ones the spec names for TLS
   * only; back, the spec's plaintext ports and those the pods serve TLS on.
   */
  private static TlsModeChange walk(ValkeyCluster cr, TlsMode requested, Set<TlsMode> served, List<PodSpec> specs,
      Optional<dev.vigil.operator.master.HostPort> agreed) {
    if (cr.getSpec().sentinel.mode != dev.vigil.operator.api.SentinelSpec.Mode.sidecar) {
      // The daemons' Deployment rolls on its own, out of step with the pods' phases.
      return new TlsModeChange(requested, served, requested, cr, Optional.of("spec.tls asks to cross TLS only ("
          + labels(served) + " to " + requested.label() + ") on a running cluster in sentinel.mode deployment: "
          + "nothing was applied. The operator walks that change only with sidecar daemons, which roll with "
          + "their pods; here the daemons' Deployment would roll out of step with the nodes. Create a new "
          + "cluster with the TLS settings and restore a backup of this one into it (spec.restore), or switch "
          + "to sentinel.mode sidecar first"));
    }
    boolean forward = requested == TlsMode.ON;
    TlsMode[] all = TlsMode.values();
    TlsMode target = forward
        ? all[Collections.min(served).ordinal() + 1]
        : all[Math.max(requested.ordinal(), Collections.max(served).ordinal() - 1)];
    Optional<Ports> way = forward ? forwardPorts(cr, specs) : backwardPorts(cr, specs);
    Optional<String> mismatch = way.isEmpty() ? Optional.of(noPorts(cr, forward))
        : forward ? forwardMismatch(cr, way.get(), specs) : backwardMismatch(cr, requested, way.get(), specs);
    if (mismatch.isPresent()) {
      return new TlsModeChange(requested, served, requested, cr, mismatch);
    }
    // Closing plaintext (to TLS only), or going back to plaintext links (a migration), needs the
    // master known at an address of the protocol that stays: a switchover in the seconds before
    // a rolled replica's old address was forgotten could have promoted it there. Stay, and move
    // the master (the switchover picks a replica known as the phase announces it).
    boolean closing = target == TlsMode.ON || !forward && target == TlsMode.MIGRATION;
    int stays = target == TlsMode.ON ? way.get().valkeyTls() : way.get().valkey();
    boolean moveFirst = closing && agreed.isPresent() && agreed.get().port() != stays;
    if (moveFirst) {
      target = all[target.ordinal() + (forward ? -1 : 1)];
    }
    if (target == requested) {
      return new TlsModeChange(requested, served, target, cr, Optional.empty());
    }
    // The spec names the end state's ports; the way there keeps the ports the pods serve.
    ValkeyCluster build = JSON.clone(cr);
    Ports p = way.get();
    build.getSpec().port = p.valkey();
    build.getSpec().sentinel.port = p.sentinel();
    build.getSpec().tls.port = p.valkeyTls();
    build.getSpec().tls.sentinelPort = p.sentinelTls();
    build.getSpec().tls.enabled = true;
    build.getSpec().tls.plaintext = true;
    return new TlsModeChange(requested, served, target, build, Optional.empty(), moveFirst);
  }

  /** Forward: plaintext where a pod not yet TLS only serves it, TLS where the spec asks for it. */
  private static Optional<Ports> forwardPorts(ValkeyCluster cr, List<PodSpec> specs) {
    return specs.stream().filter(s -> TlsMode.of(s) != TlsMode.ON).findFirst()
        .flatMap(s -> TlsParts.containerPort(s, PortNames.VALKEY).flatMap(v -> TlsParts.containerPort(s, PortNames.SENTINEL)
            .map(x -> new Ports(v, x, cr.getSpec().port, cr.getSpec().sentinel.port))));
  }

  /** Back: plaintext where the spec asks for it, TLS where the most advanced pod serves it. */
  private static Optional<Ports> backwardPorts(ValkeyCluster cr, List<PodSpec> specs) {
    for (PodSpec s : specs) {
      TlsMode m = TlsMode.of(s);
      String valkey = m == TlsMode.ON ? PortNames.VALKEY : PortNames.VALKEY_TLS;
      String sentinel = m == TlsMode.ON ? PortNames.SENTINEL : PortNames.SENTINEL_TLS;
      Optional<Integer> v = TlsParts.containerPort(s, valkey);
      Optional<Integer> x = TlsParts.containerPort(s, sentinel);
      if (m != TlsMode.OFF && v.isPresent() && x.isPresent()) {
        return Optional.of(new Ports(cr.getSpec().port, cr.getSpec().sentinel.port, v.get(), x.get()));
      }
    }
    return Optional.empty();
  }

  private static String noPorts(ValkeyCluster cr, boolean forward) {
    return "the pods of " + cr.getMetadata().getName() + " name no " + (forward ? "plaintext" : "TLS")
        + " ports of their own (built by an older operator?): nothing was applied; the change across TLS only "
        + "needs them to walk the phases";
  }

  /**
   * TLS only is reached from plaintext only on other ports than plaintext's (no port serves both)
   * and, from a migration, where its clients moved: its TLS ports.
   */
  private static Optional<String> forwardMismatch(ValkeyCluster cr, Ports way, List<PodSpec> specs) {
    for (PodSpec s : specs) {
      Optional<Ports> kept = Ports.of(s);
      if (TlsMode.of(s) != TlsMode.ON && TlsMode.of(s) != TlsMode.OFF && kept.isPresent() && !kept.get().equals(way)) {
        Ports p = kept.get();
        return Optional.of("spec.tls asks for TLS only (plaintext: false) on spec.port " + cr.getSpec().port
            + " and spec.sentinel.port " + cr.getSpec().sentinel.port + " while the pods serve TLS on "
            + p.valkeyTls() + " and " + p.sentinelTls() + " with plaintext links; nothing was applied. A running "
            + "cluster reaches TLS only where its clients moved during the migration: set spec.port: "
            + p.valkeyTls() + " and spec.sentinel.port: " + p.sentinelTls() + " with plaintext: false, and the "
            + "operator rolls the pods in three compatible phases (links by port, TLS addresses, plaintext ports "
            + "closed), each with a switchover; or keep spec.tls.plaintext: true");
      }
    }
    if (Set.of(way.valkey(), way.sentinel(), dev.vigil.operator.model.ConfigMapModel.DAEMON_HTTP_PORT)
        .contains(way.valkeyTls()) || Set.of(way.valkey(), way.sentinel(), way.valkeyTls(),
            dev.vigil.operator.model.ConfigMapModel.DAEMON_HTTP_PORT).contains(way.sentinelTls())) {
      return Optional.of("spec.tls asks for TLS only on spec.port " + cr.getSpec().port + " and spec.sentinel.port "
          + cr.getSpec().sentinel.port + " while the pods serve plaintext on " + way.valkey() + " and "
          + way.sentinel() + ": nothing was applied. A running cluster reaches TLS only by serving TLS beside "
          + "plaintext for a while, so on other ports: set spec.port and spec.sentinel.port to ports the pods do "
          + "not serve plaintext on, with plaintext: false, and the operator walks there in four rolling changes "
          + "(TLS added, links by port, TLS addresses, plaintext closed)");
    }
    return Optional.empty();
  }

  /**
   * The way back keeps TLS where it is served now (on tls.port and tls.sentinelPort, when the spec
   * asks for a migration), keeps a migration's ports until it ends, and keeps the certificate the
   * phases still serve.
   */
  private static Optional<String> backwardMismatch(ValkeyCluster cr, TlsMode requested, Ports way,
      List<PodSpec> specs) {
    if (requested == TlsMode.MIGRATION
        && (way.valkeyTls() != cr.getSpec().tls.port || way.sentinelTls() != cr.getSpec().tls.sentinelPort)) {
      return Optional.of("spec.tls asks for plaintext links with TLS on tls.port " + cr.getSpec().tls.port
          + " and tls.sentinelPort " + cr.getSpec().tls.sentinelPort + " while the pods serve TLS on "
          + way.valkeyTls() + " and " + way.sentinelTls() + "; nothing was applied. To go back to plaintext links "
          + "by rolling changes, keep TLS where clients use it: set spec.tls.port: " + way.valkeyTls() + " and "
          + "spec.tls.sentinelPort: " + way.sentinelTls() + " with plaintext: true and the plaintext ports in "
          + "spec.port and spec.sentinel.port; or set spec.tls back to enabled: true, plaintext: false");
    }
    if (Set.of(way.valkeyTls(), way.sentinelTls(), dev.vigil.operator.model.ConfigMapModel.DAEMON_HTTP_PORT)
        .contains(way.valkey()) || Set.of(way.valkeyTls(), way.sentinelTls(), way.valkey(),
            dev.vigil.operator.model.ConfigMapModel.DAEMON_HTTP_PORT).contains(way.sentinel())) {
      return Optional.of("spec.tls asks for plaintext on spec.port " + way.valkey() + " and spec.sentinel.port "
          + way.sentinel() + " while the pods serve TLS on " + way.valkeyTls() + " and " + way.sentinelTls()
          + ": nothing was applied. The way back serves plaintext beside TLS for a while, so on other ports: set "
          + "spec.port and spec.sentinel.port to ports the pods do not serve TLS on");
    }
    for (PodSpec s : specs) {
      Optional<Ports> p = Ports.of(s);
      if (TlsMode.of(s).phase() && p.isPresent() && !p.get().equals(way)) {
        Ports q = p.get();
        return Optional.of("spec.tls asks for a migration on ports " + way.valkey() + "/" + way.sentinel()
            + " (TLS " + way.valkeyTls() + "/" + way.sentinelTls() + ") while pods of a migration's phase serve "
            + q.valkey() + "/" + q.sentinel() + " (TLS " + q.valkeyTls() + "/" + q.sentinelTls() + "); nothing was "
            + "applied: a migration keeps its ports until it ends, set them back");
      }
    }
    var t = cr.getSpec().tls;
    if (requested == TlsMode.OFF && (t == null || t.issuerRef == null && (t.secretName == null || t.secretName.isBlank()))) {
      return Optional.of("spec.tls asks for no TLS while the pods serve it, and names no certificate any more "
          + "(issuerRef or secretName): nothing was applied; the way back to plaintext serves TLS beside "
          + "plaintext for a while, so keep the certificate settings with enabled: false until it ends");
    }
    return Optional.empty();
  }

  /** For {@code status.tlsMode}: the shapes the pods run, or null while TLS never was on. */
  String status() {
    if (requested == TlsMode.OFF && (served.isEmpty() || served.equals(Set.of(TlsMode.OFF)))) {
      return null;
    }
    return served.isEmpty() ? requested.label() : labels(served);
  }

  private static String labels(Set<TlsMode> modes) {
    return EnumSet.copyOf(modes).stream().map(TlsMode::label).collect(Collectors.joining(", "));
  }
}
