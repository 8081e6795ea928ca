package io.inkan.dkim;

import java.util.Locale;
import java.util.Optional;

/** Header and body canonicalization algorithms (RFC 6376 §3.4). */
public enum Canonicalization {
  SIMPLE,
  RELAXED;

  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code simple} or {@code relaxed}; anything else is empty. */
  public static Optional<Canonicalization> parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "simple" -> Optional.of(SIMPLE);
      case "relaxed" -> Optional.of(RELAXED);
      default -> Optional.empty();
    };
  }

  /** The pair written in a {@code c=} tag (RFC 6376 §3.5): header/body. */
  public record Pair(Canonicalization header, Canonicalization body) {
    public static final Pair RELAXED_RELAXED = new Pair(RELAXED, RELAXED);

    /** Parses {@code c=} syntax; a single value means {@code value/simple}. */
    public static Optional<Pair> parse(String text) {
      int slash = text.indexOf('/');
      if (slash < 0) {
        return Canonicalization.parse(text).map(h -> new Pair(h, SIMPLE));
      }
      Optional<Canonicalization> h = Canonicalization.parse(text.substring(0, slash));
      Optional<Canonicalization> b = Canonicalization.parse(text.substring(slash + 1));
      return h.isPresent() && b.isPresent()
          ? Optional.of(new Pair(h.get(), b.get()))
          : Optional.empty();
    }

    public String tagValue() {
      return header.tagValue() + "/" + body.tagValue();
    }
  }
}
