package dev.vigil.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether an object already on the server carries everything we want: every field of the desired
 * object is present and equal in the actual one, which may have more (defaults the API server
 * filled in, status, fields other controllers own). Lists must have the same length and match
 * element by element. This is what makes a second reconcile of an unchanged cluster write nothing.
 */
final class JsonSubset {
  private JsonSubset() {}

  static boolean contains(JsonNode actual, JsonNode desired) {
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
        if (!contains(actual.get(f.getKey()), f.getValue())) {
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
    return desired.asText().equals(actual.asText());
  }

  /** An empty map or list we asked for is satisfied by the field being absent. */
  private static boolean isEmpty(JsonNode n) {
    return (n.isObject() || n.isArray()) && n.isEmpty();
  }
}
