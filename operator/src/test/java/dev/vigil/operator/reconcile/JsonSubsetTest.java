package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What counts as "the server already has what we want". */
class JsonSubsetTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode j(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void extraFieldsOnTheServerAreFineMissingOrDifferentOnesAreNot() throws Exception {
    JsonNode live = j("{'a': 1, 'b': {'c': 'x', 'd': [1, 2]}, 'status': {}}");
    assertThat(JsonSubset.contains(live, j("{'a': 1, 'b': {'d': [1, 2]}}"))).isTrue();
    assertThat(JsonSubset.contains(live, j("{'a': 2}"))).isFalse();
    assertThat(JsonSubset.contains(live, j("{'b': {'d': [1]}}"))).isFalse();
    assertThat(JsonSubset.contains(live, j("{'e': 'new'}"))).isFalse();
    assertThat(JsonSubset.contains(live, j("{'port': 6379}"))).isFalse();
    assertThat(JsonSubset.contains(j("{'port': '6379'}"), j("{'port': 6379}"))).isTrue();
  }

  @Test
  void quantitiesTheServerRewroteAreTheSameOnlyWhereTheyAreQuantities() throws Exception {
    JsonNode live = j("{'resources': {'requests': {'cpu': '500m', 'memory': '1Gi'}, 'limits': {'cpu': '1'}},"
        + " 'env': {'value': '500m'}}");
    assertThat(JsonSubset.contains(live,
        j("{'resources': {'requests': {'cpu': '0.5', 'memory': '1024Mi'}, 'limits': {'cpu': '1000m'}}}"))).isTrue();
    assertThat(JsonSubset.contains(live, j("{'resources': {'requests': {'cpu': '0.6'}}}"))).isFalse();
    assertThat(JsonSubset.contains(live, j("{'env': {'value': '0.5'}}"))).as("not a quantity there").isFalse();
  }
}
