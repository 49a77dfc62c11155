package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether an object already on the server carries everything we want: every field of the desired
 * object is present and equal in the actual one, which may have more (defaults the API server
 * filled in, status, fields other controllers own). Lists must have the same length and match
 * element by element. This is what makes a second reconcile of an unchanged cluster write nothing.
 */
final class JsonSubset {
  private JsonSubset() {}

  /** Maps whose values are resource quantities, which the API server rewrites ("0.5" to "500m"). */
  private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits");

  static boolean contains(JsonNode actual, JsonNode desired) {
    return contains(actual, desired, false);
  }

  /** {@code quantity}: for a map, its values are quantities; for a value, it is one. */
  private static boolean contains(JsonNode actual, JsonNode desired, boolean quantity) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (actual == null || actual.isNull() || actual.isMissingNode()) {
      return isEmpty(desired);
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!contains(actual.get(f.getKey()), f.getValue(), quantity || QUANTITY_MAPS.contains(f.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(actual.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber() && actual.isNumber()) {
      return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    // Quantities and ports may come back as strings or numbers ("1Gi" stays, 6379 == "6379").
    if (desired.asText().equals(actual.asText())) {
      return true;
    }
    return quantity && sameQuantity(desired.asText(), actual.asText());
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return Quantity.getAmountInBytes(new Quantity(a)).compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
    } catch (RuntimeException notAQuantity) {
      return false;
    }
  }

  /** An empty map or list we asked for is satisfied by the field being absent. */
  private static boolean isEmpty(JsonNode n) {
    return (n.isObject() || n.isArray()) && n.isEmpty();
  }
}
