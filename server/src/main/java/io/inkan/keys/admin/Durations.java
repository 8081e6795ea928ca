package io.inkan.keys.admin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 7d}, {@code 36h}, {@code 90m}, {@code 30s}, or ISO-8601
 * {@code P7D}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhdw])");

  private Durations() {}

  /** The duration, or empty when the text is none of the accepted forms or negative. */
  public static Optional<Duration> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          });
    }
    try {
      Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
      return d.isNegative() ? Optional.empty() : Optional.of(d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
