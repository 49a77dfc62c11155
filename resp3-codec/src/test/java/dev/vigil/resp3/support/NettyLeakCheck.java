package dev.vigil.resp3.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (PARANOID in every test JVM) reports a leaked
 * buffer. Registered for every test class through JUnit's extension auto-detection, so a leak
 * anywhere fails the build instead of scrolling past in a log.
 *
 * <p>Netty reports a leak only when a later buffer is tracked after the leaked one was collected,
 * so the check collects garbage and then allocates a tracked buffer to flush pending reports.
 */
public final class NettyLeakCheck implements AfterAllCallback {
  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int round = 0; round < 3; round++) {
      System.gc();
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
      probe.release();
    }
    List<String> leaks;
    synchronized (LEAKS) {
      leaks = new ArrayList<>(LEAKS);
      LEAKS.clear();
    }
    assertThat(leaks.size())
        .as("Netty buffers leaked by %s; the first: %s", context.getDisplayName(),
            leaks.subList(0, Math.min(3, leaks.size())))
        .isZero();
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          record(resourceType + " leaked:" + records);
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          record(resourceType + " leaked (untraced)");
          super.reportUntracedLeak(resourceType);
        }
      };
      return detector;
    }

    private static void record(String leak) {
      synchronized (LEAKS) {
        LEAKS.add(leak);
      }
    }
  }
}
