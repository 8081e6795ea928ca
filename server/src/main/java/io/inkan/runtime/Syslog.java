package io.inkan.runtime;

import ch.qos.logback.classic.Level;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * libc's {@code openlog}/{@code syslog}/{@code closelog} (syslog(3)) through JNA, as OpenDKIM logs:
 * libc writes to the local socket {@code /dev/log}, so whatever syslog daemon owns it (and its
 * configuration) decides where lines end up. Facility and priority codes are glibc's ({@code
 * <sys/syslog.h>}).
 */
public final class Syslog {
  /** {@code LOG_PID}: every line carries {@code ident[pid]:}. */
  static final int LOG_PID = 0x01;

  static final int LOG_ERR = 3;
  static final int LOG_WARNING = 4;
  static final int LOG_INFO = 6;
  static final int LOG_DEBUG = 7;

  private static final Map<String, Integer> FACILITIES =
      Map.ofEntries(
          Map.entry("kern", 0),
          Map.entry("user", 1 << 3),
          Map.entry("mail", 2 << 3),
          Map.entry("daemon", 3 << 3),
          Map.entry("auth", 4 << 3),
          Map.entry("security", 4 << 3),
          Map.entry("syslog", 5 << 3),
          Map.entry("lpr", 6 << 3),
          Map.entry("news", 7 << 3),
          Map.entry("uucp", 8 << 3),
          Map.entry("cron", 9 << 3),
          Map.entry("authpriv", 10 << 3),
          Map.entry("ftp", 11 << 3),
          Map.entry("local0", 16 << 3),
          Map.entry("local1", 17 << 3),
          Map.entry("local2", 18 << 3),
          Map.entry("local3", 19 << 3),
          Map.entry("local4", 20 << 3),
          Map.entry("local5", 21 << 3),
          Map.entry("local6", 22 << 3),
          Map.entry("local7", 23 << 3));

  interface LibC extends Library {
    void openlog(Pointer ident, int option, int facility);

    void syslog(int priority, String format, Object... args);

    void closelog();
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /** openlog(3) keeps the ident pointer, so the string lives here for good. */
  private static Memory ident;

  private Syslog() {}

  /** The facility code of a {@code SyslogFacility} name (case-insensitive). */
  public static int facility(String name) {
    Integer code = FACILITIES.get(name.toLowerCase(Locale.ROOT));
    if (code == null) {
      throw new IllegalArgumentException(
          "unknown syslog facility " + name + "; expected one of " + FACILITIES.keySet());
    }
    return code;
  }

  /** ERROR→LOG_ERR, WARN→LOG_WARNING, INFO→LOG_INFO, DEBUG and TRACE→LOG_DEBUG. */
  public static int priority(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return LOG_ERR;
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return LOG_WARNING;
    }
    if (level.isGreaterOrEqual(Level.INFO)) {
      return LOG_INFO;
    }
    return LOG_DEBUG;
  }

  /**
   * {@code openlog(ident, LOG_PID, facility)}; throws {@link LinkageError} when libc cannot be
   * bound.
   */
  public static synchronized void open(String name, int facility) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    Memory m = new Memory(bytes.length + 1L);
    m.write(0, bytes, 0, bytes.length);
    m.setByte(bytes.length, (byte) 0);
    Holder.LIBC.openlog(m, LOG_PID, facility);
    ident = m; // the previous ident (if any) is no longer referenced by libc
  }

  /** {@code syslog(priority, "%s", message)}: the message is never read as a format. */
  public static void log(int priority, String message) {
    Holder.LIBC.syslog(priority, "%s", message);
  }

  /** {@code closelog()}. */
  public static synchronized void close() {
    Holder.LIBC.closelog();
  }
}
