package io.inkan.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes canonical body bytes, stopping after the {@code l=} limit (RFC 6376 §3.5) while still
 * counting the whole canonical length.
 */
public final class BodyHasher {
  private final MessageDigest digest;
  private final long limit;
  private long length;
  private byte[] result;

  /**
   * @param digestAlgorithm a JCA digest name
   * @param limit bytes to hash, or {@code Long.MAX_VALUE} for the whole body
   */
  public BodyHasher(String digestAlgorithm, long limit) {
    try {
      this.digest = MessageDigest.getInstance(digestAlgorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JCA lacks " + digestAlgorithm, e);
    }
    this.limit = limit;
  }

  void update(byte[] b, int off, int len) {
    if (length < limit) {
      long room = limit - length;
      digest.update(b, off, (int) Math.min(len, room));
    }
    length += len;
  }

  /** The canonical body length, counted past any limit. */
  public long canonicalLength() {
    return length;
  }

  /** The body hash; the canonicalizer must have been finished. */
  public byte[] hash() {
    if (result == null) {
      result = digest.digest();
    }
    return result.clone();
  }
}
