package io.inkan.dkim;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the data a signature covers (RFC 6376 §3.7): the header fields named by {@code h=}, each
 * name taking the last not-yet-used instance (§5.4.2), canonicalized, then the DKIM-Signature field
 * itself with an empty {@code b=} and no final CRLF.
 */
final class SignedHeaderBlock {
  private SignedHeaderBlock() {}

  static byte[] build(
      Canonicalization c,
      List<HeaderField> headers,
      List<String> signedNames,
      String signatureFieldWithoutB) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    Map<String, Integer> nextFromBottom = new HashMap<>();
    for (String name : signedNames) {
      String key = name.toLowerCase(Locale.ROOT);
      int skip = nextFromBottom.getOrDefault(key, 0);
      HeaderField chosen = nthFromBottom(headers, key, skip);
      nextFromBottom.put(key, skip + 1);
      if (chosen != null) {
        HeaderCanonicalizer.append(c, chosen, out);
      }
    }
    HeaderCanonicalizer.appendWithoutCrlf(c, signatureFieldWithoutB, out);
    return out.toByteArray();
  }

  private static HeaderField nthFromBottom(List<HeaderField> headers, String name, int n) {
    int seen = 0;
    for (int i = headers.size() - 1; i >= 0; i--) {
      HeaderField h = headers.get(i);
      if (h.is(name) && seen++ == n) {
        return h;
      }
    }
    return null;
  }

  /**
   * The field with the value of its {@code b=} tag removed, white space included (RFC 6376 §3.5, b=
   * tag), everything else byte for byte.
   */
  static String withoutSignatureValue(String rawField) {
    int colon = rawField.indexOf(':');
    int pos = colon + 1;
    StringBuilder sb = new StringBuilder(rawField.length());
    sb.append(rawField, 0, pos);
    while (pos <= rawField.length()) {
      int semi = rawField.indexOf(';', pos);
      int end = semi < 0 ? rawField.length() : semi;
      String spec = rawField.substring(pos, end);
      int eq = spec.indexOf('=');
      if (eq >= 0 && TagList.trimFws(spec.substring(0, eq)).equals("b")) {
        sb.append(spec, 0, eq + 1);
      } else {
        sb.append(spec);
      }
      if (semi < 0) {
        break;
      }
      sb.append(';');
      pos = semi + 1;
    }
    return sb.toString();
  }
}
