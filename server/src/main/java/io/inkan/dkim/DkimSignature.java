package io.inkan.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A parsed DKIM-Signature header field (RFC 6376 §3.5).
 *
 * @param field the header field as received
 * @param tags every tag
 * @param algorithm {@code a=}
 * @param signature {@code b=} decoded
 * @param bodyHash {@code bh=} decoded
 * @param canonicalization {@code c=}
 * @param domain {@code d=}, lower case
 * @param signedHeaders {@code h=} names in order, lower case
 * @param identity {@code i=} decoded from dkim-quoted-printable, or {@code @d} when absent
 * @param bodyLength {@code l=} when present
 * @param selector {@code s=}
 * @param timestamp {@code t=} when present
 * @param expiration {@code x=} when present
 */
public record DkimSignature(
    HeaderField field,
    TagList tags,
    DkimAlgorithm algorithm,
    byte[] signature,
    byte[] bodyHash,
    Canonicalization.Pair canonicalization,
    String domain,
    List<String> signedHeaders,
    String identity,
    OptionalLong bodyLength,
    String selector,
    OptionalLong timestamp,
    OptionalLong expiration) {

  public static final String FIELD_NAME = "DKIM-Signature";

  /** Parses and checks a signature field; every problem is a PERMERROR naming the tag. */
  public static DkimSignature parse(HeaderField field) throws DkimException {
    TagList tags = TagList.parse(field.value());
    String v = tags.require("v");
    if (!v.equals("1")) {
      throw DkimException.permerror("unsupported version v=" + v);
    }
    String a = tags.require("a");
    DkimAlgorithm algorithm =
        DkimAlgorithm.parse(a)
            .orElseThrow(() -> DkimException.permerror("unsupported algorithm a=" + a));
    byte[] b = base64(tags, "b");
    byte[] bh = base64(tags, "bh");
    Canonicalization.Pair c = Canonicalization.Pair.parse("simple/simple").orElseThrow();
    if (tags.has("c")) {
      String cv = tags.require("c");
      c =
          Canonicalization.Pair.parse(cv)
              .orElseThrow(() -> DkimException.permerror("unsupported canonicalization c=" + cv));
    }
    String d = tags.require("d").toLowerCase(Locale.ROOT);
    if (!isDomainName(d)) {
      throw DkimException.permerror("invalid domain d=" + d);
    }
    List<String> h = headerList(tags.require("h"));
    if (!h.contains("from")) {
      throw DkimException.permerror("h= does not include From");
    }
    String identity = tags.has("i") ? decodeQuotedPrintable("i", tags.require("i")) : "@" + d;
    checkIdentity(identity, d);
    String s = tags.require("s");
    if (!isDomainName(s)) {
      throw DkimException.permerror("invalid selector s=" + s);
    }
    if (tags.has("q")) {
      boolean dns = false;
      for (String q : tags.require("q").split(":")) {
        dns |= TagList.stripFws(q).toLowerCase(Locale.ROOT).equals("dns/txt");
      }
      if (!dns) {
        throw DkimException.permerror("unsupported query method q=" + tags.require("q"));
      }
    }
    OptionalLong l = number(tags, "l");
    OptionalLong t = number(tags, "t");
    OptionalLong x = number(tags, "x");
    if (t.isPresent() && x.isPresent() && x.getAsLong() <= t.getAsLong()) {
      // RFC 6376 §3.5 x=: "MUST be greater than the value of the t= tag if both are present".
      throw DkimException.permerror("x= is not later than t=");
    }
    return new DkimSignature(field, tags, algorithm, b, bh, c, d, h, identity, l, s, t, x);
  }

  /** The first characters of {@code b=} as written, for {@code header.b} (RFC 6008). */
  public String bPrefix(int n) {
    String b = TagList.stripFws(tags.get("b").orElse(""));
    return b.length() <= n ? b : b.substring(0, n);
  }

  /** The domain part of {@code i=}, lower case. */
  public String identityDomain() {
    return identity.substring(identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  /** The local part of {@code i=}, possibly empty. */
  public String identityLocalPart() {
    return identity.substring(0, identity.lastIndexOf('@'));
  }

  private static void checkIdentity(String identity, String d) throws DkimException {
    int at = identity.lastIndexOf('@');
    if (at < 0) {
      throw DkimException.permerror("i= has no @");
    }
    for (int i = 0; i < at; i++) {
      char c = identity.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        // RFC 5321 local parts hold no controls or spaces; decoded ones must not either
        throw DkimException.permerror("i= local part has a control or space character");
      }
    }
    String id = identity.substring(at + 1).toLowerCase(Locale.ROOT);
    if (!id.equals(d) && !id.endsWith("." + d)) {
      throw DkimException.permerror("i= domain " + id + " is not within d=" + d);
    }
  }

  /**
   * Decodes dkim-quoted-printable (RFC 6376 §2.11): {@code =XX} is one octet, white space is
   * dropped, and every other character must be a dkim-safe-char (so no bare {@code ;} or {@code
   * =}).
   */
  static String decodeQuotedPrintable(String tag, String value) throws DkimException {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (TagList.isFwsChar(c)) {
        continue;
      }
      if (c == '=') {
        int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw DkimException.permerror(tag + "= is not valid dkim-quoted-printable");
        }
        sb.append((char) (hi << 4 | lo));
        i += 2;
      } else if (c < 0x21 || c > 0x7e || c == ';') {
        throw DkimException.permerror(tag + "= is not valid dkim-quoted-printable");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A domain name or selector (RFC 6376 §3.5 d=, s=): dot-separated labels of letters, digits,
   * hyphens and (seen in real selectors) underscores, each 1 to 63 characters.
   */
  private static boolean isDomainName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  static List<String> headerList(String value) throws DkimException {
    List<String> names = new ArrayList<>();
    for (String n : value.split(":", -1)) {
      String name = TagList.stripFws(n).toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw DkimException.permerror("h= has an empty header name");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static byte[] base64(TagList tags, String name) throws DkimException {
    String value = TagList.stripFws(tags.require(name));
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw DkimException.permerror(name + "= is not valid base64");
    }
  }

  private static OptionalLong number(TagList tags, String name) throws DkimException {
    if (!tags.has(name)) {
      return OptionalLong.empty();
    }
    String v = tags.require(name);
    if (v.isEmpty() || v.length() > 76 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw DkimException.permerror(name + "= is not a number");
    }
    // RFC 6376 §3.5 allows up to 76 digits; anything past a long is "forever".
    return v.length() > 18 ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(v));
  }
}
