package io.inkan.keys.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** LDAP GeneralizedTime values (RFC 4517 §3.3.13) as the schema's time attributes hold them. */
final class GeneralizedTimes {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private GeneralizedTimes() {}

  /** {@code YYYYMMDDHHMMSSZ}, to the second. */
  static String format(Instant t) {
    return FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Any GeneralizedTime a server returns (fractions, offsets); empty when it is none. */
  static Optional<Instant> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(com.unboundid.util.StaticUtils.decodeGeneralizedTime(value).toInstant());
    } catch (java.text.ParseException e) {
      return Optional.empty();
    }
  }
}
