package io.inkan.config;

/**
 * {@code Syslog}, {@code SyslogSuccess}, {@code LogWhy}, {@code LogResults}, {@code
 * SyslogFacility}.
 */
public record LogSettings(
    boolean syslog, boolean syslogSuccess, boolean logWhy, boolean logResults, String facility) {}
