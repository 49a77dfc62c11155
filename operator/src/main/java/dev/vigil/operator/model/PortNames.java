package dev.vigil.operator.model;

/**
 * The names of the pods' and Services' ports. The operator writes them and reads them back from
 * running pods (which protocol a pod serves where, during a TLS change), so each is written once.
 */
public final class PortNames {
  /** Valkey's port: plaintext, or TLS once a cluster is TLS only. */
  public static final String VALKEY = "valkey";
  /** The daemons' port, likewise. */
  public static final String SENTINEL = "sentinel";
  /** Valkey's TLS port while plaintext is kept beside it (a TLS migration). */
  public static final String VALKEY_TLS = "valkey-tls";
  /** The daemons' TLS port while plaintext is kept beside it. */
  public static final String SENTINEL_TLS = "sentinel-tls";

  private PortNames() {}
}
