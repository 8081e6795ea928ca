package io.inkan.keys;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DKIM key record (RFC 6376 §3.6.1; Ed25519 keys per RFC 8463 §4) and its zone-file stub in the
 * layout opendkim-genkey writes, so that habits and scripts built around that tool keep working:
 *
 * <pre>
 * SELECTOR._domainkey&lt;TAB&gt;IN&lt;TAB&gt;TXT&lt;TAB&gt;( "v=DKIM1; h=sha256; k=rsa; "
 * &lt;TAB&gt;  "p=MIIBIjANBgkqh...(250 key characters)"
 * &lt;TAB&gt;  "...the rest of the key" )  ; ----- DKIM key SELECTOR for DOMAIN
 * </pre>
 *
 * <p>The tags before {@code p=} share the first string; the key is cut every 250 characters. Every
 * string stays within the 255 octets a DNS character-string can hold (RFC 1035 §3.3).
 *
 * @param keyType {@code k=}
 * @param publicKeyBase64 {@code p=}: SubjectPublicKeyInfo DER for RSA, the raw 32-byte key for
 *     Ed25519 (RFC 8463 §4.2)
 * @param hashes {@code h=}, hash names separated by colons such as {@code sha256}; empty to omit
 *     the tag, which allows every hash
 * @param note {@code n=}, free text for administrators; empty to omit the tag. Written in double
 *     quotes, which become part of the note, as opendkim-genkey writes it
 * @param testing {@code t=y}: the domain is testing DKIM
 * @param noSubdomains {@code t=s}: {@code i=} must not be a subdomain of {@code d=}
 * @param emailOnly {@code s=email}: the key is for email only
 */
public record DkimTxtRecord(
    KeyType keyType,
    String publicKeyBase64,
    Optional<String> hashes,
    Optional<String> note,
    boolean testing,
    boolean noSubdomains,
    boolean emailOnly) {

  /** The longest DNS character-string (RFC 1035 §3.3). */
  public static final int MAX_STRING_LENGTH = 255;

  /** Key characters per string, as opendkim-genkey cuts {@code p=}. */
  private static final int KEY_CHUNK = 250;

  /** {@code key-h-tag-alg} (sha1, sha256 or a hyphenated-word) joined by colons. */
  private static final Pattern HASH_LIST =
      Pattern.compile("[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  /**
   * @throws IllegalArgumentException when {@code hashes} is no colon-separated list of hash names
   *     or the key is no base64 text
   */
  public DkimTxtRecord {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(hashes, "hashes");
    Objects.requireNonNull(note, "note");
    if (!BASE64.matcher(publicKeyBase64).matches()) {
      throw new IllegalArgumentException("the public key is not base64 text");
    }
    hashes.ifPresent(
        h -> {
          if (!isHashList(h)) {
            throw new IllegalArgumentException(
                "h= takes hash names separated by colons, such as sha256 or sha1:sha256; got \""
                    + h
                    + "\"");
          }
        });
  }

  /** Whether text is a valid {@code h=} value: hash names separated by colons. */
  public static boolean isHashList(String text) {
    return HASH_LIST.matcher(text).matches();
  }

  /** The record's character-strings as DNS carries them (not zone-file escaped). */
  public List<String> strings() {
    List<String> strings = new ArrayList<>(packTags());
    String key = publicKeyBase64;
    for (int at = 0; at < key.length(); at += KEY_CHUNK) {
      String chunk = key.substring(at, Math.min(key.length(), at + KEY_CHUNK));
      strings.add(at == 0 ? "p=" + chunk : chunk);
    }
    return strings;
  }

  /** The record as a verifier sees it: the strings joined (RFC 6376 §3.6.2.2). */
  public String text() {
    return String.join("", strings());
  }

  /**
   * The zone-file stub: owner name, {@code IN TXT}, the strings in parentheses one per line, and a
   * comment naming selector and domain.
   *
   * @param appendDomain whether to write the absolute name {@code SELECTOR._domainkey.DOMAIN.}
   *     rather than one relative to the zone's origin
   */
  public String zoneFileEntry(String selector, String domain, boolean appendDomain) {
    StringBuilder sb = new StringBuilder();
    sb.append(ownerName(selector, domain, appendDomain)).append("\tIN\tTXT\t( ");
    List<String> strings = strings();
    for (int i = 0; i < strings.size(); i++) {
      sb.append(i == 0 ? "" : "\n\t  ").append(quote(strings.get(i)));
    }
    return sb.append(" )  ; ----- DKIM key ")
        .append(selector)
        .append(" for ")
        .append(domain)
        .append('\n')
        .toString();
  }

  /** {@code LABEL._domainkey}, or {@code LABEL._domainkey.DOMAIN.} when appending the domain. */
  static String ownerName(String label, String domain, boolean appendDomain) {
    return label + "._domainkey" + (appendDomain ? "." + domain + "." : "");
  }

  /** The tags before {@code p=}, in opendkim-genkey's order, each ending in a space. */
  private List<String> tags() {
    List<String> tags = new ArrayList<>();
    tags.add("v=DKIM1; ");
    note.ifPresent(n -> tags.add("n=\"" + quotedPrintable(n) + "\"; "));
    hashes.ifPresent(h -> tags.add("h=" + h + "; "));
    tags.add("k=" + keyType.tagValue() + "; ");
    if (testing || noSubdomains) {
      String flags = testing && noSubdomains ? "y:s" : testing ? "y" : "s";
      tags.add("t=" + flags + "; ");
    }
    if (emailOnly) {
      tags.add("s=email; ");
    }
    return tags;
  }

  /** Packs whole tags into strings; only a tag longer than a string itself is cut. */
  private List<String> packTags() {
    List<String> strings = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String tag : tags()) {
      if (escapedLength(current) + escapedLength(tag) > MAX_STRING_LENGTH && current.length() > 0) {
        strings.add(current.toString());
        current.setLength(0);
      }
      for (int i = 0; i < tag.length(); i++) {
        String c = tag.substring(i, i + 1);
        if (escapedLength(current) + escapedLength(c) > MAX_STRING_LENGTH) {
          strings.add(current.toString());
          current.setLength(0);
        }
        current.append(c);
      }
    }
    strings.add(current.toString());
    return strings;
  }

  /**
   * {@code n=} takes a qp-section (RFC 6376 §3.6.1, §2.11): spaces and printable ASCII stay, while
   * ';', '=', control characters and the UTF-8 octets of non-ASCII text become {@code =XX}.
   */
  static String quotedPrintable(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == ' ' || (c >= 0x21 && c <= 0x7e && c != ';' && c != '=')) {
        sb.append((char) c);
      } else {
        sb.append('=').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** A zone-file character-string: quoted, with '"' and '\' escaped (RFC 1035 §5.1). */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static int escapedLength(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c == '"' || c == '\\' ? 1 : 0;
    }
    return n;
  }
}
