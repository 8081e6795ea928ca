package io.inkan.dkim;

/**
 * The result for one DKIM-Signature (RFC 8601 §2.7.1), with what Authentication-Results reports.
 *
 * @param result pass, fail, neutral, policy, temperror or permerror
 * @param domain {@code d=} (empty when unreadable)
 * @param identity {@code i=} as written, or {@code @d}
 * @param selector {@code s=}
 * @param algorithm {@code a=} as written
 * @param b the first 8 characters of {@code b=} (RFC 6008)
 * @param reason a human-readable explanation
 * @param testing the key has {@code t=y}
 * @param dnssecSecure the key record was DNSSEC-validated
 */
public record VerificationResult(
    DkimResult result,
    String domain,
    String identity,
    String selector,
    String algorithm,
    String b,
    String reason,
    boolean testing,
    boolean dnssecSecure) {

  /** Characters of {@code b=} reported in {@code header.b} (RFC 6008 §4 asks for at least 8). */
  public static final int B_PREFIX = 8;

  public boolean passed() {
    return result == DkimResult.PASS;
  }
}
