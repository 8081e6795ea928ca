package io.inkan.keys.ldap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what {@code io.inkan.keys.ldap} logs while open. */
final class LogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.inkan.keys.ldap");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The messages at {@code level}, formatted. */
  List<String> at(Level level) {
    synchronized (appender.list) {
      return appender.list.stream()
          .filter(e -> e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  /** Every message, one a line. */
  String text() {
    synchronized (appender.list) {
      StringBuilder sb = new StringBuilder();
      for (ILoggingEvent e : appender.list) {
        sb.append(e.getLevel()).append(' ').append(e.getFormattedMessage()).append('\n');
      }
      return sb.toString();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
