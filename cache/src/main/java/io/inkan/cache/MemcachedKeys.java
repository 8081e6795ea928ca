package io.inkan.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Memcached keys for DNS names. A memcached key is at most 250 bytes with no spaces or control
 * characters; a normalised name made only of printable ASCII that fits is used as it is (readable
 * in {@code stats cachedump}), anything else by its SHA-256 in URL-safe base64. The two forms have
 * different prefixes so they cannot collide. The format version is not part of the key: nodes of
 * two versions see each other's values and skip those they cannot read.
 */
final class MemcachedKeys {
  static final int MAX_KEY = 250;
  private static final String PLAIN = "inkan:";
  private static final String HASHED = "inkan#";

  private MemcachedKeys() {}

  /** The key for an already normalised name. */
  static String forName(String normalisedName) {
    if (PLAIN.length() + normalisedName.length() <= MAX_KEY && printableAscii(normalisedName)) {
      return PLAIN + normalisedName;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(normalisedName.getBytes(StandardCharsets.UTF_8));
      return HASHED + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
