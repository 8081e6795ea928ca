package io.inkan.dkim;

/**
 * The key record's {@code g=} tag of RFC 4871 §3.6.1: a local-part pattern with at most one
 * {@code *}. RFC 6376 dropped it; keys that still carry it are honoured as their owners meant.
 */
final class Granularity {
  private Granularity() {}

  static boolean matches(String pattern, String localPart) {
    int star = pattern.indexOf('*');
    if (star < 0) {
      return pattern.equals(localPart);
    }
    String prefix = pattern.substring(0, star);
    String suffix = pattern.substring(star + 1);
    return localPart.length() >= prefix.length() + suffix.length()
        && localPart.startsWith(prefix)
        && localPart.endsWith(suffix);
  }
}
