package dev.vigil.operator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), () -> 0.5);

  @Test
  void aKeyAddedManyTimesWhileQueuedRunsOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    try (WorkQueue q = new WorkQueue(1, FAST, key -> {
      if (key.equals("blocker")) {
        pass(gate);
      }
      ran.add(key);
      return Optional.empty();
    })) {
      q.add("blocker");
      for (int i = 0; i < 100; i++) {
        q.add("a");
      }
      gate.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
      assertThat(ran).containsExactly("blocker", "a");
    }
  }

  @Test
  void oneKeyIsNeverWorkedOnTwiceAtOnceAndRunsAgainIfAddedMeanwhile() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    try (WorkQueue q = new WorkQueue(4, FAST, key -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      started.countDown();
      if (runs.incrementAndGet() == 1) {
        pass(gate);
      }
      concurrent.decrementAndGet();
      return Optional.empty();
    })) {
      q.add("a");
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      q.add("a");
      q.add("a");
      gate.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
      assertThat(maxConcurrent.get()).isEqualTo(1);
    }
  }

  @Test
  void differentKeysRunInParallelUpToTheWorkerCount() throws Exception {
    CountDownLatch all = new CountDownLatch(3);
    CountDownLatch gate = new CountDownLatch(1);
    try (WorkQueue q = new WorkQueue(3, FAST, key -> {
      all.countDown();
      pass(gate);
      return Optional.empty();
    })) {
      q.add("a");
      q.add("b");
      q.add("c");
      assertThat(all.await(5, TimeUnit.SECONDS)).as("three workers busy at once").isTrue();
      gate.countDown();
    }
  }

  @Test
  void failuresAreRetriedWithBackoffAndASuccessResetsTheCount() {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    AtomicInteger maxFailures = new AtomicInteger();
    WorkQueue[] queue = new WorkQueue[1];
    try (WorkQueue q = new WorkQueue(1, FAST, key -> {
      maxFailures.accumulateAndGet(queue[0].failures(key), Math::max);
      if (attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() < 4) {
        throw new IllegalStateException("API server unavailable");
      }
      return Optional.empty();
    })) {
      queue[0] = q;
      q.add("a");
      await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get("a").get() == 4 && q.failures("a") == 0);
      assertThat(maxFailures.get()).isEqualTo(3);
    }
  }

  @Test
  void workMayAskToRunAgainLater() {
    AtomicInteger runs = new AtomicInteger();
    try (WorkQueue q = new WorkQueue(1, FAST, key ->
        runs.incrementAndGet() < 3 ? Optional.of(Duration.ofMillis(10)) : Optional.empty())) {
      q.add("a");
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
    }
  }

  private static void pass(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
