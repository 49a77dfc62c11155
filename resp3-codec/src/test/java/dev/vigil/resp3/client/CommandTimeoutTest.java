package dev.vigil.resp3.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleString;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A connection's commands time out each at its own deadline through one timer per connection:
 * a later command with a shorter timeout is not held up by an earlier, longer one, and a command
 * answered in time never fails.
 */
class CommandTimeoutTest {
  private static CompletableFuture<RespValue> send(EmbeddedChannel ch, String name, long timeoutMs) {
    CompletableFuture<RespValue> f = new CompletableFuture<>();
    ch.writeOutbound(new PendingCommand(RespCommand.of(name), f, timeoutMs));
    return f;
  }

  private static void runTimers(EmbeddedChannel ch) {
    ch.runScheduledPendingTasks();
  }

  @Test
  void eachCommandTimesOutAtItsOwnDeadline() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new CommandHandler(new PubSubState(), p -> {}, "node:6379"));
    CompletableFuture<RespValue> answered = send(ch, "PING", 1_000);
    CompletableFuture<RespValue> slow = send(ch, "INFO", 1_000);
    CompletableFuture<RespValue> quick = send(ch, "ECHO", 150);
    ch.writeInbound(SimpleString.of("PONG"));
    assertThat(answered).isCompletedWithValue(SimpleString.of("PONG"));

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
      runTimers(ch);
      return quick.isDone();
    });
    assertThat(quick).isCompletedExceptionally();
    assertThat(slow).as("sent before it but due later").isNotDone();
    assertThat(answered.isCompletedExceptionally()).isFalse();

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
      runTimers(ch);
      return slow.isDone();
    });
    assertThat(slow.handle((v, e) -> e)).succeedsWithin(Duration.ofSeconds(1))
        .isInstanceOf(RespTimeoutException.class);
    // The late replies land in the timed-out commands' slots; the next command gets its own.
    CompletableFuture<RespValue> next = send(ch, "PING", 1_000);
    ch.writeInbound(SimpleString.of("late info"), SimpleString.of("late echo"),
        SimpleString.of("PONG"));
    assertThat(next).isCompletedWithValue(SimpleString.of("PONG"));
    ch.finishAndReleaseAll();
  }
}
