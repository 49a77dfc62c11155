package dev.vigil.sentinel.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deferred changes: written soon, never after a later durable change, and at close. */
class StateStoreTest {
  @TempDir Path dir;

  private LoadedConfig config() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, """
        vigil {
          port = 0
          state-file = "%s"
          masters { a { host = "127.0.0.1", port = 7000 }, b { host = "127.0.0.1", port = 7001 } }
        }
        """.formatted(dir.resolve("state.conf")));
    return ConfigLoader.load(conf);
  }

  private static GroupRecord withReplica(String group, int masterPort, int replicaPort) {
    return new GroupRecord(group, new Address("127.0.0.1", masterPort), 0, 0,
        List.of(new Address("127.0.0.1", replicaPort)), List.of());
  }

  private String file() throws Exception {
    return Files.readString(dir.resolve("state.conf"));
  }

  @Test
  void aDeferredChangeIsWrittenSoonAndTheLatestPerKeyWins() throws Exception {
    LoadedConfig c = config();
    StateStore store = new StateStore(c.config(), c.state());
    try {
      store.flush();
      store.updateLater("group a", s -> s.withGroup(withReplica("a", 7000, 7100)));
      store.updateLater("group a", s -> s.withGroup(withReplica("a", 7000, 7101)));
      await().atMost(Duration.ofSeconds(5)).until(() -> file().contains("known-replica a 127.0.0.1 7101"));
      assertThat(file()).doesNotContain("7100");
    } finally {
      store.close();
    }
  }

  @Test
  void aDurableChangeWritesTheDeferredOnesBeforeIt() throws Exception {
    LoadedConfig c = config();
    StateStore store = new StateStore(c.config(), c.state());
    try {
      store.updateLater("group b", s -> s.withGroup(withReplica("b", 7001, 7200)));
      // The file holds the state as it was at one moment: never the later change without the earlier.
      store.update(s -> s.withCurrentEpoch(9));
      assertThat(file()).contains("sentinel current-epoch 9", "known-replica b 127.0.0.1 7200");
      assertThat(store.state().groups().get("b").knownReplicas()).hasSize(1);
    } finally {
      store.close();
    }
  }

  @Test
  void closeWritesWhatIsDeferred() throws Exception {
    LoadedConfig c = config();
    StateStore store = new StateStore(c.config(), c.state());
    store.flush();
    store.updateLater("group a", s -> s.withGroup(withReplica("a", 7000, 7300)));
    store.close();
    assertThat(file()).contains("known-replica a 127.0.0.1 7300");
  }
}
