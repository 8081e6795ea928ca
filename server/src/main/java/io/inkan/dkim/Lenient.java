package io.inkan.dkim;

/**
 * Best-effort reading of a signature that did not parse, so its result still names the domain,
 * selector and algorithm it claims.
 */
final class Lenient {
  private Lenient() {}

  static VerificationResult result(HeaderField field, DkimResult r, String reason) {
    String v = field.value();
    String d = tag(v, "d");
    String b = TagList.stripFws(tag(v, "b"));
    String i = identity(tag(v, "i"));
    return new VerificationResult(
        r,
        d,
        i.isEmpty() && !d.isEmpty() ? "@" + d : i,
        tag(v, "s"),
        tag(v, "a"),
        b.length() > VerificationResult.B_PREFIX ? b.substring(0, VerificationResult.B_PREFIX) : b,
        reason,
        false,
        false);
  }

  /** {@code i=} decoded as a parsed signature's would be, or as written when it does not decode. */
  private static String identity(String raw) {
    try {
      return DkimSignature.decodeQuotedPrintable("i", raw);
    } catch (DkimException e) {
      return raw;
    }
  }

  private static String tag(String value, String name) {
    for (String spec : value.split(";")) {
      int eq = spec.indexOf('=');
      if (eq > 0 && TagList.trimFws(spec.substring(0, eq)).equals(name)) {
        return TagList.trimFws(spec.substring(eq + 1));
      }
    }
    return "";
  }
}
