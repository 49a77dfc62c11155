package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an application needs to connect, in one Secret to mount or reference. */
public final class ConnectionSecretModel {
  private ConnectionSecretModel() {}

  public static Secret desired(ModelInput in) {
    ValkeyCluster c = in.cluster();
    Map<String, String> d = new LinkedHashMap<>();
    d.put("host", Names.serviceHost(c, Names.writeService(c)));
    d.put("port", Integer.toString(in.port()));
    d.put("readHost", Names.serviceHost(c, Names.readService(c)));
    d.put("sentinelHost", Names.serviceHost(c, Names.sentinelService(c)));
    d.put("sentinelPort", Integer.toString(in.sentinelPort()));
    d.put("masterName", Names.masterName(c));
    d.put("password", in.password());
    TlsParts.connection(c, d);
    return new SecretBuilder().withMetadata(Labels.meta(c, Names.connectionSecret(c), Labels.VALKEY))
        .withType("Opaque").withData(Labels.base64(d)).build();
  }
}
