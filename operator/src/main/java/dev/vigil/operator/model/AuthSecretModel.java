package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The generated password, when the spec names no existing Secret. Generated once: the reconciler
 * passes the current password back in, so it never changes under running nodes.
 */
public final class AuthSecretModel {
  public static final String KEY = "password";

  private AuthSecretModel() {}

  /** 32 random bytes, hex: no characters that need quoting in valkey.conf or a shell. */
  public static final Supplier<String> RANDOM = () -> {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  };

  public static Optional<Secret> desired(ValkeyCluster c, String password) {
    if (c.getSpec().auth.existingSecret != null) {
      return Optional.empty();
    }
    return Optional.of(new SecretBuilder()
        .withMetadata(Labels.meta(c, Names.authSecret(c), Labels.VALKEY))
        .withType("Opaque").withData(Labels.base64(Map.of(KEY, password))).build());
  }

  /** Which Secret and key hold the password. */
  public static String secretName(ValkeyCluster c) {
    return c.getSpec().auth.existingSecret != null ? c.getSpec().auth.existingSecret
        : Names.authSecret(c);
  }

  public static String secretKey(ValkeyCluster c) {
    return c.getSpec().auth.existingSecret != null ? c.getSpec().auth.passwordKey : KEY;
  }
}
