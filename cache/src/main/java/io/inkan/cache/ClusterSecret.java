package io.inkan.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key every node of a cluster shares to authenticate memcached entries. Read from a file that
 * only its owner may read; trailing line breaks are not part of the secret, so {@code openssl rand
 * -base64 48 > file} works. At least 32 bytes, the output size of SHA-256 (RFC 2104 §3).
 */
public final class ClusterSecret {
  /** The shortest secret accepted. */
  public static final int MIN_BYTES = 32;

  private final byte[] key;

  private ClusterSecret(byte[] key) {
    this.key = key;
  }

  /** A secret from bytes (tests, or a secret obtained elsewhere); at least 32 bytes. */
  public static ClusterSecret of(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "cluster secret is " + key.length + " bytes; at least " + MIN_BYTES + " are required");
    }
    return new ClusterSecret(key.clone());
  }

  /**
   * Reads the secret from {@code file}.
   *
   * @throws CacheSetupException if the file is missing, unreadable, readable by group or others, or
   *     holds fewer than 32 bytes
   */
  public static ClusterSecret readFile(Path file) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        throw new CacheSetupException("cluster secret file " + file + " is not a regular file");
      }
      checkPermissions(file);
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CacheSetupException("cannot read cluster secret file " + file + ": " + e, e);
    }
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    byte[] key = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    if (key.length < MIN_BYTES) {
      throw new CacheSetupException(
          "cluster secret file "
              + file
              + " holds "
              + key.length
              + " bytes; at least "
              + MIN_BYTES
              + " are required (e.g. openssl rand -base64 48)");
    }
    return new ClusterSecret(key);
  }

  private static void checkPermissions(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    }
    if (perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ)) {
      throw new CacheSetupException(
          "cluster secret file "
              + file
              + " is readable by group or others ("
              + PosixFilePermissions.toString(perms)
              + "); chmod 600 it");
    }
  }

  /** A new HMAC-SHA256 instance keyed with this secret. */
  Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterSecret[" + key.length + " bytes]";
  }
}
