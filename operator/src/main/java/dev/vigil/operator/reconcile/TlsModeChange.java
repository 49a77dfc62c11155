package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.Labels;
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
 * otherwise, between plaintext links and TLS only, the next phase of a migration, one rolling
 * change each (migration, links by port, TLS addresses, TLS only, or back). The shapes are read
 * from the pods themselves, so a restarted operator (or a new leader) takes the same step.
 *
 * <p>TLS only at the end of a migration serves where clients moved during it, the TLS ports: the
 * spec says so with {@code spec.port} and {@code spec.sentinel.port} set to them (a TLS-only
 * cluster serves TLS on those). The phases run with the plaintext ports the pods serve, read from
 * them. The way back is {@code plaintext: true} with the plaintext ports again and {@code tls.port}
 * and {@code tls.sentinelPort} where TLS is served now.
 *
 * @param requested the shape the spec asks for
 * @param served the shapes of the existing Valkey pods and of the StatefulSet's template
 * @param target the shape to build the pods in now
 * @param build the cluster the models build {@code target} from: the spec's, or for a phase, the
 *     migration's (plaintext ports kept, those the pods serve)
 * @param refusal why the spec is refused, or empty
 */
record TlsModeChange(TlsMode requested, Set<TlsMode> served, TlsMode target, ValkeyCluster build,
    Optional<String> refusal) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** The shapes a migration walks through, in order; OFF takes no part (TLS ports appear first). */
  private static final Set<TlsMode> WALK = EnumSet.of(TlsMode.MIGRATION, TlsMode.LINKS_BY_PORT,
      TlsMode.TLS_ADDRESSES, TlsMode.ON);

  TlsModeChange {
    served = served.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(served));
  }

  /** The ports pods serve while plaintext is kept: plaintext, then TLS, for Valkey and the daemons. */
  private record Ports(int valkey, int sentinel, int valkeyTls, int sentinelTls) {
    static Optional<Ports> of(PodSpec pod) {
      Optional<Integer> v = TlsParts.containerPort(pod, "valkey");
      Optional<Integer> s = TlsParts.containerPort(pod, "sentinel");
      Optional<Integer> vt = TlsParts.containerPort(pod, "valkey-tls");
      Optional<Integer> st = TlsParts.containerPort(pod, "sentinel-tls");
      return v.isEmpty() || s.isEmpty() || vt.isEmpty() || st.isEmpty() ? Optional.empty()
          : Optional.of(new Ports(v.get(), s.get(), vt.get(), st.get()));
    }
  }

  static TlsModeChange of(ValkeyCluster cr, List<Pod> pods, StatefulSet sts) {
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
    if (lonePod || served.stream().allMatch(requested::compatibleWith) && portsLineUp(cr, requested, specs)) {
      return new TlsModeChange(requested, served, requested, cr, Optional.empty());
    }
    // Pods already split between incompatible shapes (left so by an older operator; a migration's
    // walk never splits them) talk to each other only once the roll finishes, whichever way it
    // goes: refusing would keep them split.
    boolean split = served.stream().anyMatch(a -> served.stream().anyMatch(b -> !a.compatibleWith(b)));
    if (split) {
      return new TlsModeChange(requested, served, requested, cr, Optional.empty());
    }
    if (requested != TlsMode.OFF && WALK.containsAll(served)) {
      return walk(cr, requested, served, specs);
    }
    return new TlsModeChange(requested, served, requested, cr, Optional.of(refusal(requested, served)));
  }

  /**
   * A migration's next step: towards TLS only, one shape past the least advanced pod; back, one
   * shape before the most advanced. Every pod then runs a neighbour of the target.
   */
  private static TlsModeChange walk(ValkeyCluster cr, TlsMode requested, Set<TlsMode> served, List<PodSpec> specs) {
    boolean forward = requested == TlsMode.ON;
    TlsMode[] all = TlsMode.values();
    TlsMode target = forward
        ? all[Math.min(TlsMode.ON.ordinal(), Collections.min(served).ordinal() + 1)]
        : all[Math.max(TlsMode.MIGRATION.ordinal(), Collections.max(served).ordinal() - 1)];
    Optional<Ports> kept = specs.stream().filter(s -> TlsMode.of(s) != TlsMode.ON && TlsMode.of(s) != TlsMode.OFF)
        .map(Ports::of).flatMap(Optional::stream).findFirst();
    Optional<String> mismatch = forward ? forwardMismatch(cr, kept) : backwardMismatch(cr, specs);
    if (mismatch.isPresent()) {
      return new TlsModeChange(requested, served, requested, cr, mismatch);
    }
    if (target == requested) {
      return new TlsModeChange(requested, served, target, cr, Optional.empty());
    }
    ValkeyCluster build = cr;
    if (forward) {
      // The phases keep the plaintext ports the pods serve; the spec already names TLS only's.
      Ports p = kept.orElseThrow();
      build = JSON.clone(cr);
      build.getSpec().port = p.valkey();
      build.getSpec().sentinel.port = p.sentinel();
      build.getSpec().tls.port = p.valkeyTls();
      build.getSpec().tls.sentinelPort = p.sentinelTls();
      build.getSpec().tls.plaintext = true;
    }
    return new TlsModeChange(requested, served, target, build, Optional.empty());
  }

  /** TLS only is reached from a migration only where clients already moved: its TLS ports. */
  private static Optional<String> forwardMismatch(ValkeyCluster cr, Optional<Ports> kept) {
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    Ports p = kept.get();
    if (cr.getSpec().port == p.valkeyTls() && cr.getSpec().sentinel.port == p.sentinelTls()) {
      return Optional.empty();
    }
    return Optional.of("spec.tls asks for TLS only (plaintext: false) on spec.port " + cr.getSpec().port
        + " and spec.sentinel.port " + cr.getSpec().sentinel.port + " while the pods serve TLS on "
        + p.valkeyTls() + " and " + p.sentinelTls() + " with plaintext links; nothing was applied. A running "
        + "cluster reaches TLS only where its clients moved during the migration: set spec.port: " + p.valkeyTls()
        + " and spec.sentinel.port: " + p.sentinelTls() + " with plaintext: false, and the operator rolls the "
        + "pods in three compatible phases (links by port, TLS addresses, plaintext ports closed), each with a "
        + "switchover; or keep spec.tls.plaintext: true");
  }

  /** The way back keeps TLS where it is served now, on tls.port and tls.sentinelPort. */
  private static Optional<String> backwardMismatch(ValkeyCluster cr, List<PodSpec> specs) {
    Ports asked = new Ports(cr.getSpec().port, cr.getSpec().sentinel.port, cr.getSpec().tls.port,
        cr.getSpec().tls.sentinelPort);
    for (PodSpec s : specs) {
      if (TlsMode.of(s).phase() && Ports.of(s).filter(p -> !p.equals(asked)).isPresent()) {
        Ports p = Ports.of(s).get();
        return Optional.of("spec.tls asks for a migration on ports " + asked.valkey() + "/" + asked.sentinel()
            + " (TLS " + asked.valkeyTls() + "/" + asked.sentinelTls() + ") while pods of a migration's phase serve "
            + p.valkey() + "/" + p.sentinel() + " (TLS " + p.valkeyTls() + "/" + p.sentinelTls() + "); nothing was "
            + "applied: a migration keeps its ports until it ends, set them back");
      }
      if (TlsMode.of(s) != TlsMode.ON) {
        continue;
      }
      int valkey = TlsParts.containerPort(s, "valkey").orElse(cr.getSpec().port);
      int sentinel = TlsParts.containerPort(s, "sentinel").orElse(cr.getSpec().sentinel.port);
      if (valkey != cr.getSpec().tls.port || sentinel != cr.getSpec().tls.sentinelPort) {
        return Optional.of("spec.tls asks for plaintext links with TLS on tls.port " + cr.getSpec().tls.port
            + " and tls.sentinelPort " + cr.getSpec().tls.sentinelPort + " while the pods run TLS only on "
            + valkey + " and " + sentinel + "; nothing was applied. To go back to plaintext links by rolling "
            + "changes, keep TLS where clients use it: set spec.tls.port: " + valkey + " and "
            + "spec.tls.sentinelPort: " + sentinel + " with plaintext: true and the plaintext ports in spec.port "
            + "and spec.sentinel.port; or set spec.tls back to enabled: true, plaintext: false");
      }
    }
    return Optional.empty();
  }

  /**
   * TLS only beside the last phase works only on the same ports: the phase's pods know every
   * address by its TLS port, which a TLS-only pod must serve.
   */
  private static boolean portsLineUp(ValkeyCluster cr, TlsMode requested, List<PodSpec> specs) {
    if (requested != TlsMode.ON) {
      return true;
    }
    return specs.stream().filter(s -> TlsMode.of(s) == TlsMode.TLS_ADDRESSES).map(Ports::of)
        .flatMap(Optional::stream)
        .allMatch(p -> p.valkeyTls() == cr.getSpec().port && p.sentinelTls() == cr.getSpec().sentinel.port);
  }

  private static String refusal(TlsMode requested, Set<TlsMode> served) {
    String running = labels(served);
    if (requested == TlsMode.ON) {
      return "spec.tls asks for TLS only (plaintext: false) while some pods run without TLS (" + running + "): "
          + "they serve no TLS port a rolling change could move the group's links to, so nothing was applied; "
          + "first set spec.tls.plaintext: true (a migration: TLS added beside plaintext, an ordinary rolling "
          + "change), then TLS only on the TLS ports (spec.port and spec.sentinel.port set to them), which the "
          + "operator reaches in compatible phases";
    }
    return "spec.tls asks for no TLS while the pods run TLS only or a migration's phases (" + running + "): a pod "
        + "without TLS could not reach those whose links use it, so nothing was applied; first go back to "
        + "spec.tls.plaintext: true (the operator walks the phases back), then switch TLS off; or set spec.tls "
        + "back to enabled: true";
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
