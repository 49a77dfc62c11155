package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Locale;

/**
 * The three shapes {@code spec.tls} gives a pod, and which of them can run side by side in one
 * group during a rolling change.
 *
 * <p>What decides compatibility is the protocol of the group's own links. A Valkey replica
 * speaks TLS to its master exactly when it has {@code tls-replication yes}, to the one address
 * the daemons know the master by; a daemon speaks TLS to every node and every peer exactly when
 * its {@code tls.replication} is on (as Sentinel's {@code tls-replication}). No port serves both
 * protocols. So pods whose links are plaintext ({@link #OFF}, {@link #MIGRATION}) work together,
 * and {@link #ON} pods work only with {@link #ON} pods.
 */
public enum TlsMode {
  /** No TLS: plaintext ports, plaintext links. */
  OFF,
  /** Plaintext ports kept, TLS ports added for clients; links plaintext ({@code plaintext: true}). */
  MIGRATION,
  /** TLS only: plaintext ports 0, links over TLS. */
  ON;

  public static TlsMode of(ValkeyCluster c) {
    return !TlsParts.on(c) ? OFF : TlsParts.spec(c).keepsPlaintext() ? MIGRATION : ON;
  }

  /**
   * The shape a pod (or a pod template) was built in, read from what {@link StatefulSetModel}
   * puts there: the certificate volume means TLS, the extra {@code valkey-tls} container port
   * means plaintext is kept. Read from the pod itself, so it needs no record of its own and is
   * what the pod really runs, whichever operator version built it.
   */
  public static TlsMode of(PodSpec pod) {
    if (TlsParts.volumeOf(pod).isEmpty()) {
      return OFF;
    }
    return TlsParts.valkeyPort(pod, TlsParts.VALKEY_TLS_PORT).isPresent() ? MIGRATION : ON;
  }

  /** Whether pods of this shape and of {@code other} can replicate and watch each other. */
  public boolean compatibleWith(TlsMode other) {
    return (this == ON) == (other == ON);
  }

  /** As status and messages say it: off, migration, on. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
