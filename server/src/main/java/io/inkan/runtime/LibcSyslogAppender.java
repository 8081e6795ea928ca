package io.inkan.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * A Logback appender that hands every event to libc's syslog(3) ({@link Syslog}) with ident {@code
 * inkan}, {@code LOG_PID} and the {@code SyslogFacility} of opendkim.conf(5); the priority follows
 * the event's level. The line is the formatted message, plus the exception's summary when there is
 * one: stack traces stay out of syslog.
 */
public final class LibcSyslogAppender extends AppenderBase<ILoggingEvent> {
  /** The tag OpenDKIM would write as {@code opendkim[pid]:}. */
  public static final String IDENT = "inkan";

  private String facility = "mail";

  /**
   * Makes syslog the root logger's only destination, as OpenDKIM logs only to syslog when {@code
   * Syslog yes}: starts an appender for {@code facility} and, when it started, detaches the other
   * appenders (stderr). Returns false, leaving logging as it was, when syslog cannot be used.
   */
  public static boolean installOnRoot(String facility) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    LibcSyslogAppender appender = new LibcSyslogAppender();
    appender.setContext(context);
    appender.setName("SYSLOG");
    appender.setFacility(facility);
    appender.start();
    if (!appender.isStarted()) {
      return false;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    return true;
  }

  /** A {@code SyslogFacility} name: mail (default), daemon, user, local0 ... local7, ... */
  public void setFacility(String facility) {
    this.facility = facility;
  }

  @Override
  public void start() {
    int code;
    try {
      code = Syslog.facility(facility);
    } catch (IllegalArgumentException e) {
      addError(e.getMessage());
      return;
    }
    try {
      Syslog.open(IDENT, code);
    } catch (LinkageError e) {
      addError("cannot call libc's openlog through JNA", e);
      return;
    }
    super.start();
  }

  @Override
  public void stop() {
    if (isStarted()) {
      super.stop();
      Syslog.close();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = event.getFormattedMessage();
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      line = line + ": " + t.getClassName() + ": " + t.getMessage();
    }
    Syslog.log(Syslog.priority(event.getLevel()), line);
  }
}
