package io.inkan.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One header field exactly as received, folding included, without its final CRLF. Text is held as
 * ISO-8859-1 so that every byte, 8-bit ones included, round-trips unchanged.
 *
 * @param name the field name (text before the colon, trailing white space removed)
 * @param raw the whole field: name, colon and value with its folding
 */
public record HeaderField(String name, String raw) {

  /** Splits a raw field into name and value; a line without a colon is all name. */
  public static HeaderField of(String raw) {
    int colon = raw.indexOf(':');
    String name = colon < 0 ? raw : raw.substring(0, colon);
    return new HeaderField(TagList.trimFws(name), raw);
  }

  public static HeaderField of(String name, String value) {
    return new HeaderField(name, name + ":" + value);
  }

  public static HeaderField ofBytes(byte[] bytes, int offset, int length) {
    return of(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
  }

  /** The value: everything after the first colon, folding included. */
  public String value() {
    int colon = raw.indexOf(':');
    return colon < 0 ? "" : raw.substring(colon + 1);
  }

  public boolean hasColon() {
    return raw.indexOf(':') >= 0;
  }

  public boolean is(String fieldName) {
    return name.equalsIgnoreCase(fieldName);
  }

  public String lowerName() {
    return name.toLowerCase(Locale.ROOT);
  }

  public byte[] bytes() {
    return raw.getBytes(StandardCharsets.ISO_8859_1);
  }
}
