package dev.vigil.sentinel.config;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ports reached over TLS while a group migrates to TLS only: every pod then serves plaintext
 * on its usual ports and TLS on these, so "TLS to these ports, plaintext to the others" holds for
 * every dialer at every moment of the roll, whichever pods are rolled (README, "a compatible path
 * to TLS only"). The one rule the daemon's links, the replicas it points at a master and
 * {@code vigil init-node} all follow. Empty: no migration, and nothing changes.
 */
public record TlsPorts(Set<Integer> ports) {
  public static final TlsPorts NONE = new TlsPorts(Set.of());

  public TlsPorts {
    for (int p : ports) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("TLS port out of range: " + p);
      }
    }
    ports = Set.copyOf(ports);
  }

  public static TlsPorts of(Collection<Integer> ports) {
    return ports.isEmpty() ? NONE : new TlsPorts(Set.copyOf(ports));
  }

  /** Whether any port is listed: a migration is under way. */
  public boolean listed() {
    return !ports.isEmpty();
  }

  /** Whether a link to {@code port} speaks TLS. */
  public boolean tlsTo(int port) {
    return ports.contains(port);
  }

  /**
   * The {@code tls-replication} value a node needs to follow a master at {@code master}: it
   * speaks TLS to its master exactly when that is on, to the one address it was given.
   */
  public String replicationFor(Address master) {
    return tlsTo(master.port()) ? "yes" : "no";
  }

  @Override
  public String toString() {
    return new TreeSet<>(ports).toString();
  }
}
