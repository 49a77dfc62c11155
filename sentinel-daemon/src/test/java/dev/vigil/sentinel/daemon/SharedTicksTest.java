package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedTicksTest {
  @Test
  void groupsOnOneLoopShareOneTimerThatStopsWithTheLastOfThem() throws Exception {
    DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    try {
      EventLoop loop = group.next();
      SharedTicks ticks = new SharedTicks();
      AtomicInteger a = new AtomicInteger();
      AtomicInteger b = new AtomicInteger();
      AtomicInteger failing = new AtomicInteger();
      GroupDriver.Cancel ca = ticks.every(loop, 10, a::incrementAndGet);
      GroupDriver.Cancel cb = ticks.every(loop, 10, b::incrementAndGet);
      GroupDriver.Cancel cf = ticks.every(loop, 10, () -> {
        failing.incrementAndGet();
        throw new IllegalStateException("one group's bug");
      });
      assertThat(ticks.timersOn(loop)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> a.get() >= 5 && b.get() >= 5 && failing.get() >= 5);

      loop.submit(() -> {
        ca.cancel();
        cf.cancel();
      }).get();
      int aStopped = a.get();
      int bBefore = b.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> b.get() >= bBefore + 3);
      assertThat(a.get()).as("a cancelled tick does not run again").isEqualTo(aStopped);
      assertThat(ticks.timersOn(loop)).isEqualTo(1);

      loop.submit(cb::cancel).get();
      assertThat(ticks.timersOn(loop)).isZero();
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }
}
