package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.api.ValkeyCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionsTest {
  private static ValkeyCluster annotated(String value) {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns")
        .withAnnotations(value == null ? Map.of() : Map.of(Decisions.ANNOTATION, value)).build());
    return c;
  }

  @Test
  void roundTripsThroughTheAnnotation() {
    Decisions d = new Decisions(List.of("c-4", "c-3"), 3, new Decisions.Switchover("c-4", 42));
    assertThat(d.lowered()).as("sorted").containsExactly("c-3", "c-4");
    assertThat(d.toAnnotation()).doesNotContain("empty");
    assertThat(Decisions.of(annotated(d.toAnnotation()))).isEqualTo(d);
  }

  @Test
  void nothingToRememberIsNoAnnotationAndGarbageReadsAsNothing() {
    assertThat(Decisions.NONE.toAnnotation()).isNull();
    assertThat(Decisions.of(annotated(null))).isEqualTo(Decisions.NONE);
    assertThat(Decisions.of(annotated("{not json"))).isEqualTo(Decisions.NONE);
  }
}
