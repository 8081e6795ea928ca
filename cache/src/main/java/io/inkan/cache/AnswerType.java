package io.inkan.cache;

/**
 * What kind of DNS outcome a cached answer stands for. The code byte is part of the stored formats
 * (JE and memcached) and never changes meaning.
 */
public enum AnswerType {
  /** Records were found; the payload holds them in the caller's own encoding. */
  ANSWER(1),
  /** The name does not exist (RFC 2308 §2.1), cached negatively per RFC 2308 §5. */
  NXDOMAIN(2),
  /** The name exists but has no record of the asked type (RFC 2308 §2.2, §5). */
  NODATA(3),
  /**
   * A server failure or timeout; RFC 2308 §7.1 and §7.2 allow caching it only briefly (at most five
   * minutes), which is up to the caller's TTL.
   */
  SERVFAIL(4);

  private final int code;

  AnswerType(int code) {
    this.code = code;
  }

  /** The stable code stored with the answer. */
  public int code() {
    return code;
  }

  /** The type for a stored code, or {@code null} when the code is unknown. */
  public static AnswerType fromCode(int code) {
    for (AnswerType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
