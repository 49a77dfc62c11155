package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.operator.api.ValkeyCluster;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the operator decided and must not forget when it restarts or another replica takes the
 * Lease over, kept in one annotation on the ValkeyCluster: the pods it gave replica-priority 0
 * (recorded before the command is sent, so a new leader restores or keeps them), the size a
 * scale-in is heading for, and the switchover it requested last (so a new leader does not ask
 * for a second one at once, which could move the master twice).
 *
 * @param lowered pods given (or about to be given) replica-priority 0, sorted
 * @param scaleInTo the size a scale-in in progress goes to, or null
 * @param switchover the last switchover requested, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decisions(List<String> lowered, Integer scaleInTo, Switchover switchover) {
  public static final String ANNOTATION = "vigil.dev/decisions";
  public static final Decisions NONE = new Decisions(List.of(), null, null);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A switchover requested away from {@code from} at {@code at} (epoch milliseconds). */
  public record Switchover(String from, long at) {}

  public Decisions {
    lowered = lowered == null ? List.of() : List.copyOf(new TreeSet<>(lowered));
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return lowered.isEmpty() && scaleInTo == null && switchover == null;
  }

  public Decisions withLowered(java.util.Collection<String> pods) {
    return new Decisions(List.copyOf(pods), scaleInTo, switchover);
  }

  public Decisions withScaleInTo(Integer size) {
    return new Decisions(lowered, size, switchover);
  }

  public Decisions withSwitchover(Switchover s) {
    return new Decisions(lowered, scaleInTo, s);
  }

  /** The decisions recorded on a cluster; an unreadable annotation counts as none. */
  public static Decisions of(ValkeyCluster c) {
    Map<String, String> a = c.getMetadata().getAnnotations();
    String text = a == null ? null : a.get(ANNOTATION);
    if (text == null || text.isBlank()) {
      return NONE;
    }
    try {
      return JSON.readValue(text, Decisions.class);
    } catch (JsonProcessingException e) {
      return NONE;
    }
  }

  /** The annotation's value, or null when there is nothing to remember. */
  public String toAnnotation() {
    if (isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
