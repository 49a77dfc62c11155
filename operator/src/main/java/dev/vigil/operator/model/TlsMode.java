package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The three shapes {@code spec.tls} gives a pod, and which of them can run side by side in one
 * group during a rolling change.
 *
 * <p>What decides compatibility is the protocol of the group's own links. A Valkey replica
 * speaks TLS to its master exactly when it has {@code tls-replication yes}, to the one address
 * the daemons know the master by; a daemon speaks TLS to every node and every peer exactly when
 * its {@code tls.replication} is on (as Sentinel's {@code tls-replication}). No port serves both
 * protocols. So pods whose links are plaintext ({@link #OFF}, {@link #MIGRATION}) work together,
 * and {@link #ON} pods work only with pods that dial by port and announce their TLS ports. The two
 * phases in between make a migration to TLS only (or back) a series of rolling changes, each
 * between neighbours ({@link #compatibleWith}).
 */
public enum TlsMode {
  /** No TLS: plaintext ports, plaintext links. */
  OFF,
  /** Plaintext ports kept, TLS ports added for clients; links plaintext ({@code plaintext: true}). */
  MIGRATION,
  /**
   * A migration's first phase between plaintext links and TLS only: ports as in {@link
   * #MIGRATION}, every address still a plaintext one, but the daemons and {@code init-node} dial
   * by port (TLS to the TLS ports, plaintext to the others), so they work with either next shape.
   */
  LINKS_BY_PORT,
  /**
   * A migration's second phase: links by port, and nodes and daemons announce their TLS ports,
   * so the group's addresses move to them; the plaintext ports still answer.
   */
  TLS_ADDRESSES,
  /** TLS only: plaintext ports 0, links over TLS. */
  ON;

  public static TlsMode of(ValkeyCluster c) {
    return !TlsParts.on(c) ? OFF : TlsParts.spec(c).keepsPlaintext() ? MIGRATION : ON;
  }

  /**
   * The shape a pod (or a pod template) was built in, read from what {@link StatefulSetModel}
   * puts there: the certificate volume means TLS, the extra {@code valkey-tls} container port
   * means plaintext is kept, {@code init-node --tls-ports} means links by port, and its {@code
   * --self} on the TLS port means the addresses moved there. Read from the pod itself, so it needs
   * no record of its own and is what the pod really runs, whichever operator version built it.
   */
  public static TlsMode of(PodSpec pod) {
    if (TlsParts.volumeOf(pod).isEmpty()) {
      return OFF;
    }
    Optional<Integer> tlsPort = TlsParts.containerPort(pod, PortNames.VALKEY_TLS);
    if (tlsPort.isEmpty()) {
      // A daemon of a Deployment (sentinel.mode deployment) has no Valkey container: its own TLS
      // port beside the plaintext one marks the migration.
      return TlsParts.containerPort(pod, PortNames.SENTINEL_TLS).isPresent() ? MIGRATION : ON;
    }
    List<String> args = TlsParts.initNodeArgs(pod);
    if (!args.contains(TlsParts.TLS_PORTS_FLAG)) {
      return MIGRATION;
    }
    int self = args.indexOf("--self");
    return self >= 0 && self + 1 < args.size() && args.get(self + 1).endsWith(":" + tlsPort.get())
        ? TLS_ADDRESSES : LINKS_BY_PORT;
  }

  /**
   * Whether pods of this shape and of {@code other} can replicate and watch each other: only
   * neighbours in the order above. Each phase changes one thing that every pod of the shapes
   * either side of it copes with; two steps apart, a daemon dials some address in the wrong
   * protocol (or a replica its master).
   */
  public boolean compatibleWith(TlsMode other) {
    return Math.abs(ordinal() - other.ordinal()) <= 1;
  }

  /** Whether this shape is a phase of a migration between plaintext links and TLS only. */
  public boolean phase() {
    return this == LINKS_BY_PORT || this == TLS_ADDRESSES;
  }

  /** As status and messages say it: off, migration, links-by-port, tls-addresses, on. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
