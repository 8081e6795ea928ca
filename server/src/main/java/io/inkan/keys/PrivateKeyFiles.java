package io.inkan.keys;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Reads private key files once and keeps the parsed keys, so no message ever re-reads or re-parses
 * a key. With {@code RequireSafeKeys} a file readable by group or others is refused, as OpenDKIM
 * does.
 */
public final class PrivateKeyFiles {
  private static final Set<PosixFilePermission> UNSAFE =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final boolean requireSafeKeys;
  private final ConcurrentMap<Path, SigningKey> cache = new ConcurrentHashMap<>();

  public PrivateKeyFiles(boolean requireSafeKeys) {
    this.requireSafeKeys = requireSafeKeys;
  }

  /**
   * The key in {@code file}, parsed on first use.
   *
   * @throws KeyTableException naming the file when it is unreadable, unsafe or not a key
   */
  public SigningKey load(Path file) throws KeyTableException {
    Path key = file.toAbsolutePath().normalize();
    SigningKey cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    SigningKey parsed = read(key);
    SigningKey raced = cache.putIfAbsent(key, parsed);
    return raced != null ? raced : parsed;
  }

  /** Parses key text given inline in a KeyTable. */
  public static SigningKey parseInline(String text, String where) throws KeyTableException {
    try {
      return PrivateKeyReader.read(text);
    } catch (GeneralSecurityException e) {
      throw new KeyTableException(where + ": inline key is not usable: " + e.getMessage());
    }
  }

  private SigningKey read(Path file) throws KeyTableException {
    try {
      if (requireSafeKeys) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(UNSAFE::contains)) {
          throw new KeyTableException(
              "key file "
                  + file
                  + " is accessible by group or others (RequireSafeKeys); chmod 600 it");
        }
      }
      return PrivateKeyReader.read(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeyTableException("cannot read key file " + file + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new KeyTableException("key file " + file + " is not usable: " + e.getMessage(), e);
    }
  }
}
