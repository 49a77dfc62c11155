package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The confirmation that restoring a running cluster in place is wanted: it replaces every key
 * the cluster holds. Two fields, because each guards against a different accident: {@code
 * confirm} must be the cluster's own name, so a manifest copied from another cluster (or applied
 * to the wrong namespace's cluster of another name) restores nothing; {@code id} names one
 * restore, which runs once per id, so a GitOps tool re-applying the same manifest, or an
 * operator restart, never restores a second time over the writes taken since.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InPlaceRestore {
  @Required
  @JsonPropertyDescription("Must equal this ValkeyCluster's metadata.name, or nothing is done (status says why). "
      + "Restoring in place discards every key the cluster holds now.")
  public String confirm;

  @Required
  @JsonPropertyDescription("Any string naming this restore (e.g. a date): each id is restored once; "
      + "choose a new id to restore again. Changing it while a restore runs starts that one over.")
  public String id;
}
