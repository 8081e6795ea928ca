package io.inkan.config;

import java.util.Locale;

/** The verdict an {@code On-*} key selects; OpenDKIM's one-letter abbreviations are accepted. */
public enum MilterAction {
  ACCEPT,
  DISCARD,
  QUARANTINE,
  REJECT,
  TEMPFAIL;

  static MilterAction parse(ConfigLine line) throws ConfigException {
    return switch (line.value().toLowerCase(Locale.ROOT)) {
      case "a", "accept" -> ACCEPT;
      case "d", "discard" -> DISCARD;
      case "q", "quarantine" -> QUARANTINE;
      case "r", "reject" -> REJECT;
      case "t", "tempfail" -> TEMPFAIL;
      default -> throw line.fail("accept, discard, quarantine, reject or tempfail (or a/d/q/r/t)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
