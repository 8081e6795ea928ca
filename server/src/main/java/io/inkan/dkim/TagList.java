package io.inkan.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code tag=value} list (RFC 6376 §3.2). Values keep their inner folding white space but
 * lose the white space around them; tag names are case-sensitive.
 */
public final class TagList {
  private final Map<String, String> tags;

  private TagList(Map<String, String> tags) {
    this.tags = tags;
  }

  /**
   * Parses a tag list.
   *
   * @throws DkimException (PERMERROR) naming the offending tag when a tag is duplicated, has no
   *     {@code =}, has an invalid name or a value with characters outside VALCHAR
   */
  public static TagList parse(String text) throws DkimException {
    Map<String, String> tags = new LinkedHashMap<>();
    int start = 0;
    int length = text.length();
    while (start <= length) {
      int end = text.indexOf(';', start);
      if (end < 0) {
        end = length;
      }
      String spec = text.substring(start, end);
      if (!isFws(spec)) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
          throw DkimException.permerror("tag \"" + trimFws(spec) + "\" has no value");
        }
        String name = trimFws(spec.substring(0, eq));
        if (!isTagName(name)) {
          throw DkimException.permerror("invalid tag name \"" + name + "\"");
        }
        String value = trimFws(spec.substring(eq + 1));
        checkValue(name, value);
        if (tags.putIfAbsent(name, value) != null) {
          throw DkimException.permerror("duplicate tag " + name + "=");
        }
      }
      start = end + 1;
    }
    return new TagList(Collections.unmodifiableMap(tags));
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(tags.get(name));
  }

  public boolean has(String name) {
    return tags.containsKey(name);
  }

  /** The value of a required tag. */
  public String require(String name) throws DkimException {
    String v = tags.get(name);
    if (v == null) {
      throw DkimException.permerror("missing required tag " + name + "=");
    }
    return v;
  }

  /** The first tag's name, or empty for an empty list. */
  public Optional<String> firstName() {
    return tags.keySet().stream().findFirst();
  }

  public Map<String, String> asMap() {
    return tags;
  }

  /** Removes every white space character (FWS) from a value, as base64 values need. */
  public static String stripFws(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isFwsChar(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String trimFws(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isFwsChar(s.charAt(b))) {
      b++;
    }
    while (e > b && isFwsChar(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  private static boolean isFws(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isFwsChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isFwsChar(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isTagName(String name) {
    if (name.isEmpty() || !isAlpha(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** VALCHAR is %x21-3A / %x3C-7E; white space is allowed between tvals. */
  private static void checkValue(String name, String value) throws DkimException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isFwsChar(c) && (c < 0x21 || c > 0x7e)) {
        throw DkimException.permerror(
            "tag " + name + "= has an invalid character 0x" + Integer.toHexString(c));
      }
    }
  }
}
