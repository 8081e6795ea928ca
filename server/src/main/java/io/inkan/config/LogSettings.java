package io.inkan.config;

/**
 * {@code Syslog}, {@code SyslogSuccess}, {@code LogWhy}, {@code LogResults}, {@code
 * SyslogFacility}, and Inkan's {@code LogFormat} (how lines written to stderr look).
 */
public record LogSettings(
    boolean syslog,
    boolean syslogSuccess,
    boolean logWhy,
    boolean logResults,
    String facility,
    Format format) {

  /** {@code LogFormat}: stderr lines as text (the default) or one JSON object per line. */
  public enum Format {
    TEXT,
    JSON
  }

  public LogSettings {
    java.util.Objects.requireNonNull(format, "format");
  }

  /** Text lines on stderr, as before {@code LogFormat}. */
  public LogSettings(
      boolean syslog, boolean syslogSuccess, boolean logWhy, boolean logResults, String facility) {
    this(syslog, syslogSuccess, logWhy, logResults, facility, Format.TEXT);
  }
}
