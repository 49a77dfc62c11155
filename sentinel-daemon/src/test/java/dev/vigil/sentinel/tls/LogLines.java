package dev.vigil.sentinel.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Collects what some loggers write during a test. */
final class LogLines implements AfterEachCallback {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<Logger> loggers;

  LogLines(String... loggerNames) {
    appender.start();
    loggers = java.util.Arrays.stream(loggerNames)
        .map(n -> (Logger) LoggerFactory.getLogger(n)).toList();
    loggers.forEach(l -> l.addAppender(appender));
  }

  /** The formatted messages logged so far that contain every fragment. */
  List<String> matching(String... fragments) {
    synchronized (appender) { // AppenderBase appends under its own lock
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> java.util.Arrays.stream(fragments).allMatch(m::contains)).toList();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    loggers.forEach(l -> l.detachAppender(appender));
  }
}
