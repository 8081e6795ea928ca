package io.inkan.dkim;

/**
 * The result for one DKIM-Signature (RFC 8601 §2.7.1), with what Authentication-Results reports.
 * The text fields may quote the sender's bytes, so every character outside printable ASCII is
 * written as {@code \xHH} ({@code \x{HHHH}} above 0xFF): results go into header fields, milter
 * replies and logs, where a NUL, a bare CR or an 8-bit byte does not belong.
 *
 * @param result pass, fail, neutral, policy, temperror or permerror
 * @param domain {@code d=} (empty when unreadable)
 * @param identity {@code i=} decoded from dkim-quoted-printable, or {@code @d}
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

  public VerificationResult {
    domain = printable(domain);
    identity = printable(identity);
    selector = printable(selector);
    algorithm = printable(algorithm);
    b = printable(b);
    reason = printable(reason);
  }

  /** {@code s} with every character outside %x20-7E escaped; null stays null. */
  static String printable(String s) {
    if (s == null || s.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c <= 0x7e) {
        sb.append(c);
      } else if (c <= 0xff) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else {
        sb.append(String.format(java.util.Locale.ROOT, "\\x{%04x}", (int) c));
      }
    }
    return sb.toString();
  }

  /** The start of the reason when the key record does not exist (RFC 6376 §6.1.2). */
  public static final String NO_KEY = "no key for signature";

  /** Whether the signature's key record does not exist (NXDOMAIN or no TXT record). */
  public boolean keyNotFound() {
    return result == DkimResult.PERMERROR && reason.startsWith(NO_KEY);
  }

  public boolean passed() {
    return result == DkimResult.PASS;
  }
}
