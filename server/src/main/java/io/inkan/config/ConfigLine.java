package io.inkan.config;

import java.nio.file.Path;

/**
 * One {@code Name value} line after comments are cut and blanks trimmed; {@code key} is the
 * canonical spelling from {@link ConfigKeys}, {@code written} the spelling in the file.
 */
public record ConfigLine(String key, String written, String value, String file, int line) {

  /** An error for this line: {@code FILE:LINE: KEY: expected, got VALUE}. */
  public ConfigException fail(String expected) {
    return new ConfigException(file, line, written, expected, value);
  }

  /** A warning for this line. */
  public ConfigWarning warn(String message) {
    return new ConfigWarning(file, line, written, message);
  }

  /**
   * A Boolean by its first character, as OpenDKIM reads them: {@code T t Y y 1} true, {@code F f N
   * n 0} false.
   */
  public boolean bool() throws ConfigException {
    switch (value.charAt(0)) {
      case 'T', 't', 'Y', 'y', '1':
        return true;
      case 'F', 'f', 'N', 'n', '0':
        return false;
      default:
        throw fail("a Boolean (yes/no, true/false, 1/0)");
    }
  }

  /**
   * An integer in {@code [min, max]}, read like OpenDKIM's {@code strtol(value, &end, 0)}: decimal,
   * {@code 0x} hexadecimal or {@code 0}-prefixed octal, with nothing after the number.
   */
  public int integer(long min, long max, String expected) throws ConfigException {
    Long n = cInteger(value);
    if (n == null || n < min || n > max) {
      throw fail(expected);
    }
    return (int) (long) n;
  }

  /** The value as a data-set reference, resolved later by the data-set layer. */
  public DataSetRef dataSet() {
    return new DataSetRef(value, file, line);
  }

  /** The value as a path; a path is any non-empty string. */
  public Path path() throws ConfigException {
    try {
      return Path.of(value);
    } catch (RuntimeException e) {
      throw fail("a file path");
    }
  }

  static Long cInteger(String s) {
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      radix = 16;
      i += 2;
    } else if (s.startsWith("0", i) && s.length() > i + 1) {
      radix = 8;
      i += 1;
    }
    if (i >= s.length() || s.length() - i > 12) {
      return null;
    }
    long n = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      int d = c < 128 ? Character.digit(c, radix) : -1;
      if (d < 0) {
        return null;
      }
      n = n * radix + d;
    }
    return negative ? -n : n;
  }
}
