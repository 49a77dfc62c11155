package dev.vigil.operator.reconcile;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Masters;
import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Reads one {@link ClusterSnapshot}: the only reading a reconcile does. */
public final class SnapshotReader {
  private final ObjectCache cache;
  private final Masters masters;
  private final CommandLedger ledger;
  private final Supplier<String> passwords;
  private final Clock clock;

  public SnapshotReader(ObjectCache cache, Masters masters, CommandLedger ledger,
      Supplier<String> passwords, Clock clock) {
    this.cache = cache;
    this.masters = masters;
    this.ledger = ledger;
    this.passwords = passwords;
    this.clock = clock;
  }

  /** Every object a cluster may own, by kind and name. */
  static List<Map.Entry<Class<? extends HasMetadata>, String>> ownedRefs(ValkeyCluster c) {
    return List.of(Map.entry(StatefulSet.class, Names.statefulSet(c)),
        Map.entry(Service.class, Names.writeService(c)), Map.entry(Service.class, Names.readService(c)),
        Map.entry(Service.class, Names.headlessService(c)), Map.entry(Service.class, Names.sentinelService(c)),
        Map.entry(ConfigMap.class, Names.configMap(c)), Map.entry(Secret.class, Names.authSecret(c)),
        Map.entry(Secret.class, Names.connectionSecret(c)),
        Map.entry(PodDisruptionBudget.class, Names.podDisruptionBudget(c)),
        Map.entry(Deployment.class, Names.sentinelDeployment(c)),
        Map.entry(ServiceAccount.class, Names.serviceAccount(c)));
  }

  public ClusterSnapshot read(ValkeyCluster c) {
    String ns = c.getMetadata().getNamespace();
    String key = ClusterReconciler.key(c);
    Map<String, HasMetadata> existing = new HashMap<>();
    for (var ref : ownedRefs(c)) {
      HasMetadata o = cache.get(ref.getKey(), ns, ref.getValue());
      if (o != null) {
        existing.put(ClusterSnapshot.ref(ref.getKey(), ref.getValue()), o);
      }
    }
    List<Pod> pods = cache.pods(ns, c.getMetadata().getName());
    TlsObserved.read(c, cache, existing, pods);
    String password = null;
    String problem = null;
    try {
      password = password(c, existing);
    } catch (IllegalStateException e) {
      problem = e.getMessage();
    }
    return new ClusterSnapshot(c, pods, existing, password, problem,
        masters.master(key), masters.disagreement(key), ledger.view(key), clock.millis(),
        c.getSpec().restore == null || c.getSpec().restore.backup == null ? null
            : cache.get(dev.vigil.operator.api.ValkeyBackup.class, ns, c.getSpec().restore.backup));
  }

  /** The password in the existing Secret, or a new one for a cluster that has none yet. */
  private String password(ValkeyCluster c, Map<String, HasMetadata> existing) {
    String name = AuthSecretModel.secretName(c);
    Secret s = c.getSpec().auth.existingSecret == null
        ? (Secret) existing.get(ClusterSnapshot.ref(Secret.class, name))
        : cache.uncached(Secret.class, c.getMetadata().getNamespace(), name);
    if (s == null && c.getSpec().auth.existingSecret == null) {
      // Not in the cache may mean "just created, not seen yet": a new password now would
      // change it under running nodes, so ask the API before generating one.
      s = cache.uncached(Secret.class, c.getMetadata().getNamespace(), name);
    }
    String key = AuthSecretModel.secretKey(c);
    if (s != null && s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (s != null && s.getStringData() != null && s.getStringData().get(key) != null) {
      return s.getStringData().get(key);
    }
    if (c.getSpec().auth.existingSecret != null) {
      throw new IllegalStateException("spec.auth.existingSecret: Secret " + c.getSpec().auth.existingSecret
          + (s == null ? " does not exist" : " has no key " + key) + " in namespace "
          + c.getMetadata().getNamespace());
    }
    return passwords.get();
  }
}
