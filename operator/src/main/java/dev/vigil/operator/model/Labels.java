package dev.vigil.operator.model;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The labels and owner reference every sub-resource carries ({@code ownerRefs}). */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "vigil-operator";
  /** Set by the StatefulSet controller, unique per pod: the only safe write-Service selector. */
  public static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
  public static final String VALKEY = "valkey";
  public static final String SENTINEL = "sentinel";

  private Labels() {}

  public static Map<String, String> of(ValkeyCluster c, String component) {
    Map<String, String> l = new LinkedHashMap<>(selector(c, component));
    l.put(MANAGED_BY, OPERATOR);
    return l;
  }

  /** What selects a component's pods: never a label two roles could share. */
  public static Map<String, String> selector(ValkeyCluster c, String component) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(NAME, "valkey");
    l.put(INSTANCE, c.getMetadata().getName());
    l.put(COMPONENT, component);
    return l;
  }

  public static String selectorString(ValkeyCluster c, String component) {
    StringBuilder sb = new StringBuilder();
    selector(c, component).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k)
        .append('=').append(v));
    return sb.toString();
  }

  public static OwnerReference owner(ValkeyCluster c) {
    return new OwnerReferenceBuilder().withApiVersion(c.getApiVersion()).withKind(c.getKind())
        .withName(c.getMetadata().getName()).withUid(c.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /**
   * Secret data, base64 as the server stores it (not stringData, which the server folds into
   * data: comparing would then always see a difference and rewrite the Secret every time).
   */
  public static Map<String, String> base64(Map<String, String> plain) {
    Map<String, String> out = new LinkedHashMap<>();
    plain.forEach((k, v) -> out.put(k, java.util.Base64.getEncoder()
        .encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return out;
  }

  /** Metadata of an owned object: name, namespace, labels, owner. */
  public static ObjectMeta meta(ValkeyCluster c, String name, String component) {
    return new ObjectMetaBuilder().withName(name).withNamespace(c.getMetadata().getNamespace())
        .withLabels(of(c, component)).withOwnerReferences(List.of(owner(c))).build();
  }
}
