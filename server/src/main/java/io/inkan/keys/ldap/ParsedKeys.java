package io.inkan.keys.ldap;

import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.PrivateKeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DKIMKey} values parsed once: inline keys (PEM or base64) are remembered by the SHA-256 of
 * their text, at most {@code maxKeys}, least recently used out, so re-reading a domain never
 * re-parses its keys and no key text is kept; a value starting with {@code /} names a key file,
 * read through {@link PrivateKeyFiles} (which keeps it and applies {@code RequireSafeKeys}).
 */
final class ParsedKeys {
  private final PrivateKeyFiles files;
  private final Map<String, SigningKey> inline;

  ParsedKeys(PrivateKeyFiles files, int maxKeys) {
    this.files = files;
    this.inline =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SigningKey> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /**
   * The key a {@code DKIMKey} value holds or names.
   *
   * @param where the entry's DN, for the message
   * @throws KeyTableException with a reason that never quotes the value
   */
  SigningKey parse(String value, String where) throws KeyTableException {
    if (value.startsWith("/")) {
      return files.load(Path.of(value));
    }
    String digest = digest(value);
    synchronized (inline) {
      SigningKey known = inline.get(digest);
      if (known != null) {
        return known;
      }
    }
    SigningKey parsed = PrivateKeyFiles.parseInline(value, where);
    synchronized (inline) {
      inline.put(digest, parsed);
    }
    return parsed;
  }

  private static String digest(String value) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** How many inline keys are remembered (for tests). */
  int size() {
    synchronized (inline) {
      return inline.size();
    }
  }
}
