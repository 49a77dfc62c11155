package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.monitor.SentinelEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where events go: one log line each (WARN for Sentinel's warning-level events), then every
 * subscriber, e.g. the command server publishing them on channels named after the event.
 */
public final class EventBus {
  private static final Logger log = LoggerFactory.getLogger("vigil.events");

  private final List<Consumer<SentinelEvent>> subscribers = new CopyOnWriteArrayList<>();

  public void subscribe(Consumer<SentinelEvent> subscriber) {
    subscribers.add(subscriber);
  }

  public void publish(SentinelEvent e) {
    if (e.isWarning()) {
      log.warn("{} {}", e.type(), e.payload());
    } else {
      log.info("{} {}", e.type(), e.payload());
    }
    for (Consumer<SentinelEvent> s : subscribers) {
      try {
        s.accept(e);
      } catch (RuntimeException ex) {
        log.warn("event subscriber failed on {}", e.type(), ex);
      }
    }
  }
}
