package io.inkan.dkim;

import java.util.List;

/** Formats DKIM results for an Authentication-Results field (RFC 8601 §2.2, §2.7.1). */
public final class AuthenticationResults {
  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

  private AuthenticationResults() {}

  /** The whole field value: {@code authserv-id; dkim=... ; dkim=...}, or {@code dkim=none}. */
  public static String fieldValue(String authservId, List<VerificationResult> results) {
    StringBuilder sb = new StringBuilder(authservId);
    if (results.isEmpty()) {
      return sb.append("; dkim=none").toString();
    }
    for (VerificationResult r : results) {
      sb.append(";\r\n\t").append(resultSpec(r, false));
    }
    return sb.toString();
  }

  /**
   * One result: {@code dkim=pass header.d=... header.i=... header.s=... header.a=... header.b=...},
   * followed by the reason as a comment or as {@code reason=} before the properties; {@code
   * (secure)} after the result when the key record was DNSSEC-validated.
   */
  public static String resultSpec(VerificationResult r, boolean reasonAsComment) {
    StringBuilder sb = new StringBuilder("dkim=").append(r.result().keyword());
    if (r.dnssecSecure()) {
      sb.append(
          " (secure)"); // the key record was DNSSEC-validated, as OpenDKIM's Unbound builds say
    }
    if (!reasonAsComment && r.result() != DkimResult.PASS) {
      sb.append(" reason=").append(quote(r.reason()));
    }
    property(sb, "header.d", r.domain(), false);
    property(sb, "header.i", r.identity(), true);
    property(sb, "header.s", r.selector(), false);
    property(sb, "header.a", r.algorithm(), false);
    if (!r.b().isEmpty()) {
      // Base64 as-is, like every major implementation (RFC 6008 §4 examples do the same);
      // quoted only if a broken signature left other characters in it.
      sb.append(" header.b=").append(isBase64(r.b()) ? r.b() : quote(r.b()));
    }
    if (reasonAsComment) {
      sb.append(" (").append(commentText(r.reason())).append(')');
    }
    return sb.toString();
  }

  /** Comments may nest (RFC 5322 §3.2.2) but must balance; unbalanced ones become brackets. */
  private static String commentText(String reason) {
    int depth = 0;
    for (int i = 0; i < reason.length() && depth >= 0; i++) {
      char c = reason.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    String text = reason.replace("\\", "\\\\");
    return depth == 0 ? text : text.replace('(', '[').replace(')', ']');
  }

  private static void property(StringBuilder sb, String name, String value, boolean address) {
    if (value == null || value.isEmpty()) {
      return;
    }
    sb.append(' ').append(name).append('=');
    sb.append(address && isAddressLike(value) ? value : value(value));
  }

  private static boolean isAddressLike(String v) {
    int at = v.lastIndexOf('@');
    return at >= 0
        && v.indexOf('@') == at
        && !needsQuote(v.substring(0, at))
        && !needsQuote(v.substring(at + 1));
  }

  private static String value(String v) {
    return needsQuote(v) ? quote(v) : v;
  }

  private static boolean isBase64(String v) {
    return v.chars()
        .allMatch(
            c ->
                (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '=');
  }

  private static boolean needsQuote(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String quote(String v) {
    return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
