package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.reconcile.RollPlan.PodView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rolling changes: replicas first, one at a time while all are ready, the master last. */
class RollPlanTest {
  @Test
  void replicasFirstThenASwitchoverThenTheOldMaster() {
    List<PodView> pods = List.of(new PodView("c-0", "old", true), new PodView("c-1", "old", true),
        new PodView("c-2", "old", true));
    assertThat(RollPlan.next(pods, "new", "c-0", 3)).isEqualTo(new RollPlan.Delete("c-2"));
    List<PodView> oneDone = List.of(new PodView("c-0", "old", true), new PodView("c-1", "old", true),
        new PodView("c-2", "new", false));
    assertThat(RollPlan.next(oneDone, "new", "c-0", 3)).isInstanceOf(RollPlan.Wait.class);
    List<PodView> replicasDone = List.of(new PodView("c-0", "old", true), new PodView("c-1", "new", true),
        new PodView("c-2", "new", true));
    assertThat(RollPlan.next(replicasDone, "new", "c-0", 3)).isEqualTo(new RollPlan.SwitchOver("c-0"));
    // After the switchover c-1 is master and c-0 an outdated replica.
    assertThat(RollPlan.next(replicasDone, "new", "c-1", 3)).isEqualTo(new RollPlan.Delete("c-0"));
    List<PodView> all = List.of(new PodView("c-0", "new", true), new PodView("c-1", "new", true),
        new PodView("c-2", "new", true));
    assertThat(RollPlan.next(all, "new", "c-1", 3)).isEqualTo(new RollPlan.Done());
  }

  @Test
  void aMissingPodOrASinglePodGroupIsHandled() {
    assertThat(RollPlan.next(List.of(new PodView("c-0", "old", true)), "new", "c-0", 2))
        .isInstanceOf(RollPlan.Wait.class);
    assertThat(RollPlan.next(List.of(new PodView("c-0", "old", true)), "new", "c-0", 1))
        .isEqualTo(new RollPlan.Delete("c-0"));
  }

  @Test
  void nothingIsReplacedWhileTheMasterIsUnknown() {
    List<PodView> pods = List.of(new PodView("c-0", "old", true), new PodView("c-1", "old", true));
    assertThat(RollPlan.next(pods, "new", null, 2)).isInstanceOf(RollPlan.Wait.class);
  }
}
