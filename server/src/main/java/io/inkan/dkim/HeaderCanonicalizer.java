package io.inkan.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Header field canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed). */
public final class HeaderCanonicalizer {
  private HeaderCanonicalizer() {}

  /** Appends the canonical form of {@code field} followed by CRLF. */
  public static void append(Canonicalization c, HeaderField field, ByteArrayOutputStream out) {
    appendWithoutCrlf(c, field.raw(), out);
    out.write('\r');
    out.write('\n');
  }

  /** Appends the canonical form of a raw field, without the final CRLF (RFC 6376 §3.7). */
  public static void appendWithoutCrlf(Canonicalization c, String raw, ByteArrayOutputStream out) {
    byte[] bytes =
        (c == Canonicalization.SIMPLE ? raw : relaxed(raw)).getBytes(StandardCharsets.ISO_8859_1);
    out.write(bytes, 0, bytes.length);
  }

  /** Field names are ASCII (RFC 5322 §3.6.8); 8-bit bytes in malformed ones stay as they are. */
  private static void appendAsciiLowerCase(String name, StringBuilder sb) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
  }

  /**
   * Relaxed form: lower-case name, unfolded, white-space runs to one SP, no white space at the end
   * of the value or around the colon.
   */
  static String relaxed(String raw) {
    int colon = raw.indexOf(':');
    String name = colon < 0 ? raw : raw.substring(0, colon);
    String value = colon < 0 ? "" : raw.substring(colon + 1);
    StringBuilder sb = new StringBuilder(raw.length());
    appendAsciiLowerCase(TagList.trimFws(name), sb);
    sb.append(':');
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '\r' || ch == '\n') {
        continue;
      }
      if (ch == ' ' || ch == '\t') {
        pendingSpace = true;
        continue;
      }
      if (pendingSpace && started) {
        sb.append(' ');
      }
      pendingSpace = false;
      started = true;
      sb.append(ch);
    }
    return sb.toString();
  }
}
